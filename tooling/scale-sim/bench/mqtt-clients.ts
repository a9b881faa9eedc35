/** Lightweight MQTT clients for the broker benchmarks: no plaza, no verification work. */
import { readFileSync } from 'node:fs'
import mqtt, { type MqttClient } from 'mqtt'

export async function connectClient(url: string, clientId?: string): Promise<MqttClient> {
  return await new Promise<MqttClient>((resolve, reject) => {
    const client = mqtt.connect(url, {
      reconnectPeriod: 0,
      connectTimeout: 20_000,
      clean: true,
      ...(clientId === undefined ? {} : { clientId }),
    })
    const fail = (err: Error) => {
      client.end(true)
      reject(err)
    }
    client.once('connect', () => {
      client.off('error', fail)
      resolve(client)
    })
    client.once('error', fail)
    client.once('close', () => fail(new Error(`closed before CONNACK: ${url}`)))
  })
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
export function cpuSeconds(pid: number | undefined): number {
  if (pid === undefined) return 0
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) / 100
  } catch {
    return 0
  }
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms))

/** Polls `done` every 50 ms until true, or until `stallMs` pass without `progress()` changing. */
export async function waitUntil(
  done: () => boolean,
  progress: () => number,
  stallMs: number,
): Promise<boolean> {
  let last = progress()
  let lastChange = Date.now()
  while (!done()) {
    await sleep(50)
    const now = progress()
    if (now !== last) {
      last = now
      lastChange = Date.now()
    } else if (Date.now() - lastChange > stallMs) return false
  }
  return true
}
