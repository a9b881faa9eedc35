import mqtt, { type MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import {
  type MosquittoStar,
  type NatsCluster,
  startMosquittoStar,
  startNatsCluster,
  waitForPort,
} from '../src/brokers/index.js'

const clients: MqttClient[] = []
afterEach(async () => {
  await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
})

/** A plain MQTT client that records every message on `nara/#`. */
async function listener(url: string): Promise<{ client: MqttClient; got: string[] }> {
  const client = await mqtt.connectAsync(url, { reconnectPeriod: 0, connectTimeout: 10_000 })
  clients.push(client)
  const got: string[] = []
  client.on('message', (topic, payload) => got.push(`${topic} ${payload.toString()}`))
  await client.subscribeAsync('nara/#', { qos: 0 })
  return { client, got }
}

/** Publishes on `from` until `to` has seen `text` (a fresh subscription may lag a route). */
async function expectDelivered(
  from: MqttClient,
  to: { got: string[] },
  topic: string,
  text: string,
): Promise<void> {
  await vi.waitFor(
    async () => {
      if (!to.got.includes(`${topic} ${text}`)) await from.publishAsync(topic, text)
      expect(to.got).toContain(`${topic} ${text}`)
    },
    { timeout: 20_000, interval: 200 },
  )
}

describe('NATS cluster fixture', () => {
  let cluster: NatsCluster
  beforeAll(async () => {
    cluster = await startNatsCluster()
  }, 60_000)
  afterAll(() => cluster?.close())

  it('routes MQTT messages between every pair of nodes', async () => {
    expect(cluster.nodes.map((n) => n.serverName)).toEqual(['n1', 'n2', 'n3'])
    const ends = await Promise.all(cluster.urls.map((url) => listener(url)))
    for (const [i, a] of ends.entries()) {
      for (const [j, b] of ends.entries()) {
        if (i !== j) await expectDelivered(a.client, b, `nara/plaza/from_n${i + 1}`, `to n${j + 1}`)
      }
    }
  }, 60_000)

  it('carries every name class the plaza allows; closes a publisher on "." or " " (docs/BROKERS.md)', async () => {
    const far = await listener(cluster.urls[2]!)
    const near = await listener(cluster.urls[0]!)
    for (const name of ['plain', 'señor-ñandú', '中文', '😀', 'star*', 'gt>', 'nbsp\u00a0x']) {
      await expectDelivered(near.client, far, `nara/newspaper/${name}`, 'ok')
    }
    for (const name of ['with.dot', 'with space']) {
      const publisher = await mqtt.connectAsync(cluster.urls[0]!, { reconnectPeriod: 0 })
      clients.push(publisher)
      const closed = new Promise<void>((resolve) => publisher.once('close', () => resolve()))
      publisher.publish(`nara/newspaper/${name}`, 'lost')
      await closed
      await expectDelivered(near.client, far, 'nara/newspaper/after', name)
      expect(far.got).not.toContain(`nara/newspaper/${name} lost`)
    }
  }, 60_000)

  it('a node killed with SIGKILL comes back on the same ports and routes again', async () => {
    const node = cluster.nodes[2]!
    await node.kill()
    expect(node.running()).toBe(false)
    await expect(waitForPort(node.port, { timeoutMs: 100 })).rejects.toThrow()
    await cluster.waitReady()
    await node.restart()
    const far = await listener(node.url)
    const near = await listener(cluster.urls[0]!)
    await expectDelivered(near.client, far, 'nara/plaza/after_restart', 'hello n3')
  }, 90_000)
})

describe('mosquitto star fixture', () => {
  let star: MosquittoStar
  beforeAll(async () => {
    star = await startMosquittoStar({ tryPrivate: [false, true] })
  }, 60_000)
  afterAll(() => star?.close())

  it('bridges nara/# between the leaves through the hub, once with try_private', async () => {
    const [hub, leaf1, leaf2] = await Promise.all(star.brokers.map((b) => listener(b.url)))
    await expectDelivered(leaf2!.client, leaf1!, 'nara/plaza/from_leaf2', 'once')
    await expectDelivered(leaf1!.client, hub!, 'nara/plaza/from_leaf1', 'x')
    // Only nara/# crosses a bridge.
    await leaf1!.client.publishAsync('other/topic', 'stays')
    const marker = 'nara/plaza/marker end'
    await expectDelivered(leaf1!.client, leaf2!, 'nara/plaza/marker', 'end')
    expect(leaf2!.got.filter((m) => m === marker)).toHaveLength(1)
    expect(leaf2!.got.filter((m) => m.startsWith('other/'))).toEqual([])
  }, 60_000)

  it('without try_private, the hub echoes a leaf its own messages (each arrives twice)', async () => {
    const leaf1 = await listener(star.leaves[0]!.url)
    await expectDelivered(leaf1.client, leaf1, 'nara/plaza/echo', 'twice')
    await vi.waitFor(() => {
      expect(leaf1.got.filter((m) => m === 'nara/plaza/echo twice').length).toBeGreaterThan(1)
    })
  }, 60_000)

  it('a stopped bridge cuts one leaf off; started again, it carries messages again', async () => {
    const bridge = star.bridges[1]!
    await bridge.stop()
    expect(bridge.connected()).toBe(false)
    const leaf1 = await listener(star.leaves[0]!.url)
    const leaf2 = await listener(star.leaves[1]!.url)
    await expectDelivered(leaf2.client, leaf2, 'nara/plaza/local', 'still works')
    await leaf2.client.publishAsync('nara/plaza/cut', 'lost')
    await bridge.start()
    await star.waitBridged()
    await expectDelivered(leaf2.client, leaf1, 'nara/plaza/healed', 'back')
    expect(leaf1.got).not.toContain('nara/plaza/cut lost')
  }, 60_000)
})
