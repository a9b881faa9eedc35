/**
 * Bench publisher, in its own thread so the measured thread only receives. Publishes the given
 * payloads flat out (`rate` 0) or paced at `rate` msg/s; reports absolute send times (ms).
 */
import { parentPort, workerData } from 'node:worker_threads'
import mqtt from 'mqtt'

const { url, topic, payloads, rate } = workerData as {
  url: string
  topic: string
  payloads: Uint8Array[]
  rate: number
}
const now = () => performance.timeOrigin + performance.now()

async function main(): Promise<void> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0 })
  ;(client.stream as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true)
  const sentAt = new Float64Array(payloads.length)
  if (rate === 0) {
    for (let i = 0; i < payloads.length; i++) {
      sentAt[i] = now()
      client.publish(topic, Buffer.from(payloads[i] as Uint8Array), { qos: 0 })
    }
  } else {
    // Paced on timers (not a setImmediate spin, which would burn a core the subscriber and the
    // broker need); each message's send time is recorded when it is actually published.
    const t0 = now() + 20
    let next = 0
    await new Promise<void>((resolve) => {
      const tick = (): void => {
        const t = now()
        while (next < payloads.length && t0 + (next * 1000) / rate <= t) {
          sentAt[next] = now()
          client.publish(topic, Buffer.from(payloads[next] as Uint8Array), { qos: 0 })
          next++
        }
        if (next >= payloads.length) resolve()
        else setTimeout(tick, Math.max(0, t0 + (next * 1000) / rate - now()))
      }
      tick()
    })
  }
  await client.endAsync()
  parentPort?.postMessage({ sentAt }, [sentAt.buffer])
}

main().catch((err) => {
  parentPort?.postMessage({ error: String(err) })
})
