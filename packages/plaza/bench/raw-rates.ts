/**
 * The bench's raw rates (the references its ratios divide by): single-core and two-thread verify,
 * plain MQTT.js receive, and the publisher thread every broker run uses.
 */
import { readFileSync } from 'node:fs'
import { Worker } from 'node:worker_threads'
import mqtt from 'mqtt'
import { alice, backend } from './payloads.js'

/** CPU time of this process so far, µs (every thread): steadier than wall time on a busy machine. */
export function cpuNowUs(): number {
  const u = process.cpuUsage()
  return u.user + u.system
}

/**
 * CPU µs used so far by another process (user + system, from `/proc/<pid>/stat`, in clock ticks
 * of 10 ms: Linux's `CLK_TCK` of 100), or NaN where there is no such file.
 */
export function processCpuUs(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    // After "pid (comm) ", fields count from 3: utime is field 14, stime field 15.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10_000
  } catch {
    return Number.NaN
  }
}

/** Raw verifies per second, and CPU µs per verify. */
export function rawVerifyRate(
  messages: Uint8Array[],
  sigs: Uint8Array[],
  ms = 2000,
): { rate: number; cpuUs: number } {
  let n = 0
  const cpu0 = cpuNowUs()
  const start = performance.now()
  while (performance.now() - start < ms) {
    const i = n % messages.length
    backend.verify(sigs[i] as Uint8Array, messages[i] as Uint8Array, alice.publicKey)
    n++
  }
  return { rate: n / ((performance.now() - start) / 1000), cpuUs: (cpuNowUs() - cpu0) / n }
}

/**
 * Raw verify on the main thread and in a worker AT ONCE: the ceiling of the "both cores" mode on
 * this machine (two cores rarely give 2x: shared caches, frequency, other tenants).
 */
export async function rawVerifyRateTwoThreads(
  messages: Uint8Array[],
  sigs: Uint8Array[],
  ms = 2000,
): Promise<{ main: number; worker: number }> {
  const cryptoUrl = import.meta.resolve('@nara/crypto')
  const source = `
const { parentPort, workerData } = require('node:worker_threads')
import(workerData.cryptoUrl).then((c) => {
  const b = c.fastestBackend()
  const { messages, sigs, publicKey, ms } = workerData
  parentPort.postMessage('go')
  let n = 0
  const start = performance.now()
  while (performance.now() - start < ms) {
    const i = n % messages.length
    b.verify(sigs[i], messages[i], publicKey)
    n++
  }
  parentPort.postMessage(n / ((performance.now() - start) / 1000))
})`
  const worker = new Worker(source, {
    eval: true,
    workerData: { cryptoUrl, messages, sigs, publicKey: alice.publicKey, ms },
  })
  await new Promise((r) => worker.once('message', r))
  const other = new Promise<number>((r) => worker.once('message', r))
  const main = rawVerifyRate(messages, sigs, ms).rate
  const rate = await other
  await worker.terminate()
  return { main, worker: rate }
}

export async function rawReceiveRate(
  url: string,
  topic: string,
  payloads: Buffer[],
): Promise<{ rate: number; received: number }> {
  const sub = await mqtt.connectAsync(url, { reconnectPeriod: 0 })
  noDelay(sub)
  await sub.subscribeAsync(topic)
  let received = 0
  let first = 0
  let last = 0
  const done = new Promise<void>((resolve) => {
    sub.on('message', () => {
      if (received === 0) first = performance.now()
      received++
      last = performance.now()
      if (received === payloads.length) resolve()
    })
  })
  await publishFromWorker(url, topic, payloads)
  await Promise.race([done, new Promise((r) => setTimeout(r, 30_000))])
  await sub.endAsync()
  return { rate: (received - 1) / ((last - first) / 1000), received }
}

export function noDelay(client: mqtt.MqttClient): void {
  ;(client.stream as unknown as { setNoDelay?: (v: boolean) => void }).setNoDelay?.(true)
}

/** Publishes from another thread; resolves with absolute send times (ms). */
export function publishFromWorker(
  url: string,
  topic: string,
  payloads: Buffer[],
  rate = 0,
): Promise<Float64Array> {
  return new Promise((resolve, reject) => {
    // Module hooks are per thread: register tsx in the worker, then load the TS publisher.
    const tsxApi = import.meta.resolve('tsx/esm/api')
    const script = new URL('./publisher-worker.ts', import.meta.url).href
    const source = `import(${JSON.stringify(tsxApi)}).then((m) => { m.register(); return import(${JSON.stringify(script)}) })`
    const worker = new Worker(source, {
      eval: true,
      workerData: { url, topic, payloads: payloads.map((p) => new Uint8Array(p)), rate },
    })
    worker.once('message', (msg: { sentAt?: Float64Array; error?: string }) => {
      if (msg.sentAt) resolve(msg.sentAt)
      else reject(new Error(msg.error))
      void worker.terminate()
    })
    worker.once('error', reject)
  })
}
