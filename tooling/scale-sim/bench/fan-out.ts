/**
 * Deliveries per second through a set of brokers for the plaza's traffic shape: QoS 0, SyncEvents
 * of 300 B and newspapers of 1.25 KB alternating, one publisher per broker node, wildcard
 * (`nara/#`) subscribers on every node.
 */
import type { MqttClient } from 'mqtt'
import { connectClient, cpuSeconds, waitUntil } from './mqtt-clients.js'

export interface Topology {
  name: string
  /** One MQTT URL per node: a publisher and the subscribers go to each. */
  urls: readonly string[]
  /** Broker process ids, for CPU per delivery. */
  pids(): Array<number | undefined>
}

export interface FanOutResult {
  topology: string
  deliveries: number
  expected: number
  deliveriesPerS: number
  /** Broker CPU (all nodes) per delivery, µs. */
  brokerCpuUsPerDelivery: number
}

const SYNC_EVENT = Buffer.alloc(300, 0x61)
const NEWSPAPER = Buffer.alloc(1250, 0x62)

export async function fanOut(
  topology: Topology,
  options: { subscribersPerNode: number; messagesPerPublisher: number },
): Promise<FanOutResult> {
  const clients: MqttClient[] = []
  try {
    let received = 0
    let lastAt = 0
    const seen = new Set<string>()
    const subscribers: MqttClient[] = []
    for (const url of topology.urls) {
      for (let i = 0; i < options.subscribersPerNode; i++) {
        const c = await connectClient(url)
        clients.push(c)
        subscribers.push(c)
        const me = subscribers.length
        c.on('message', (topic) => {
          if (topic.startsWith('nara/plaza/ready/')) seen.add(`${me} ${topic}`)
          else {
            received += 1
            lastAt = performance.now()
          }
        })
        await c.subscribeAsync('nara/#', { qos: 0 })
      }
    }
    const publishers: MqttClient[] = []
    for (const url of topology.urls) {
      const c = await connectClient(url)
      clients.push(c)
      publishers.push(c)
    }
    // Every route and bridge carries every publisher's messages before the clock starts.
    const pairs = subscribers.length * publishers.length
    const ready = async () => {
      for (const [i, p] of publishers.entries()) await p.publishAsync(`nara/plaza/ready/${i}`, 'x')
      return seen.size === pairs
    }
    const deadline = Date.now() + 30_000
    while (!(await ready())) {
      if (Date.now() > deadline)
        throw new Error(`${topology.name}: not every route carries messages`)
      await new Promise((r) => setTimeout(r, 200))
    }
    await new Promise((r) => setTimeout(r, 500))
    received = 0
    const expected = subscribers.length * publishers.length * options.messagesPerPublisher
    const cpuBefore = topology.pids().reduce<number>((s, pid) => s + cpuSeconds(pid), 0)
    const start = performance.now()
    await Promise.all(
      publishers.map(async (p, i) => {
        for (let m = 0; m < options.messagesPerPublisher; m++) {
          const paper = m % 2 === 1
          await p.publishAsync(
            paper ? `nara/newspaper/bench-${i}` : 'nara/plaza/social',
            paper ? NEWSPAPER : SYNC_EVENT,
            { qos: 0 },
          )
        }
      }),
    )
    await waitUntil(
      () => received >= expected,
      () => received,
      5000,
    )
    const elapsedS = (lastAt - start) / 1000
    const cpu = topology.pids().reduce<number>((s, pid) => s + cpuSeconds(pid), 0) - cpuBefore
    return {
      topology: topology.name,
      deliveries: received,
      expected,
      deliveriesPerS: received / elapsedS,
      brokerCpuUsPerDelivery: (cpu * 1e6) / Math.max(1, received),
    }
  } finally {
    await Promise.all(clients.map((c) => c.endAsync(true)))
  }
}
