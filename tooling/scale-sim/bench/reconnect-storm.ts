/**
 * A reconnect storm: `clients` lightweight plaza clients (one MQTT connection each, subscribed
 * to `nara/#`, no verification work) on one node of a NATS cluster; that node is killed
 * (SIGKILL). Each client then runs the plaza's reconnect loop (WIRE §1.4: wait uniform in
 * [5 s, 35 s), no growth, no cap) over its own shuffled list of the other nodes' URLs.
 */
import type { NatsCluster } from '@nara/vitest-config/brokers'
import type { MqttClient } from 'mqtt'
import { connectClient, sleep } from './mqtt-clients.js'

export interface StormResult {
  clients: number
  /** Seconds to connect every client to the doomed node, before the storm. */
  initialConnectS: number
  /** Seconds from the kill to the last client back. */
  allBackS: number
  /** Clients back on another node (should be all). */
  back: number
  /** Attempts that failed (refused or timed out) and were retried. */
  failedAttempts: number
  /** Per surviving node: peak connects in one second, and mean over the seconds with any. */
  perNode: Array<{ url: string; total: number; peakPerS: number; meanPerS: number }>
  /** Seconds (from the kill) of the first and last reconnect. */
  firstS: number
  lastS: number
}

const RECONNECT_MIN_MS = 5000
const RECONNECT_MAX_MS = 35_000

function shuffled<T>(items: readonly T[]): T[] {
  const out = [...items]
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1))
    ;[out[i], out[j]] = [out[j] as T, out[i] as T]
  }
  return out
}

export async function reconnectStorm(
  cluster: NatsCluster,
  options: { clients: number; victim: number; deadlineMs: number },
): Promise<StormResult> {
  const victim = cluster.nodes[options.victim]
  if (victim === undefined) throw new Error('no such node')
  const survivors = cluster.urls.filter((_, i) => i !== options.victim)
  const live: MqttClient[] = []
  const t0 = performance.now()
  for (let i = 0; i < options.clients; i += 50) {
    const batch = await Promise.all(
      Array.from({ length: Math.min(50, options.clients - i) }, async (_, k) => {
        const c = await connectClient(victim.url, `storm-${i + k}`)
        await c.subscribeAsync('nara/#', { qos: 0 })
        return c
      }),
    )
    live.push(...batch)
  }
  const initialConnectS = (performance.now() - t0) / 1000
  const reconnects: Array<{ url: string; atS: number }> = []
  let failedAttempts = 0
  let killedAt = 0
  const reconnect = async (index: number) => {
    const list = shuffled(survivors)
    for (let attempt = 0; ; attempt++) {
      const waitMs = RECONNECT_MIN_MS + Math.random() * (RECONNECT_MAX_MS - RECONNECT_MIN_MS)
      await sleep(waitMs)
      if (performance.now() - killedAt > options.deadlineMs) return
      const url = list[attempt % list.length] as string
      try {
        const c = await connectClient(url, `storm-${index}`)
        await c.subscribeAsync('nara/#', { qos: 0 })
        reconnects.push({ url, atS: (performance.now() - killedAt) / 1000 })
        live.push(c)
        return
      } catch {
        failedAttempts += 1
      }
    }
  }
  const storms: Array<Promise<void>> = []
  for (const [i, c] of live.entries()) {
    c.once('close', () => storms.push(reconnect(i)))
  }
  killedAt = performance.now()
  await victim.kill()
  await sleep(200)
  while (storms.length < options.clients && performance.now() - killedAt < 10_000) await sleep(50)
  await Promise.all(storms)
  await Promise.all(live.map((c) => c.endAsync(true)))
  const perNode = survivors.map((url) => {
    const bins = new Map<number, number>()
    for (const r of reconnects.filter((x) => x.url === url)) {
      bins.set(Math.floor(r.atS), (bins.get(Math.floor(r.atS)) ?? 0) + 1)
    }
    const counts = [...bins.values()]
    const total = counts.reduce((s, n) => s + n, 0)
    return {
      url,
      total,
      peakPerS: Math.max(0, ...counts),
      meanPerS: counts.length === 0 ? 0 : total / counts.length,
    }
  })
  const times = reconnects.map((r) => r.atS)
  return {
    clients: options.clients,
    initialConnectS,
    allBackS: Math.max(0, ...times),
    back: reconnects.length,
    failedAttempts,
    perNode,
    firstS: Math.min(...times),
    lastS: Math.max(...times),
  }
}
