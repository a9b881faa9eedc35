import { type NatsCluster, startNatsCluster } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { allOnline, watchStates } from './plaza-checks.js'
import { type SpreadPlaza, startSpreadPlaza } from './spread-plaza.js'

/** MQTT clients connected to a NATS node, from its monitoring endpoint. */
async function mqttClients(monitorPort: number): Promise<number> {
  const res = await fetch(`http://127.0.0.1:${monitorPort}/connz?limit=1024`)
  const doc = (await res.json()) as { connections?: Array<{ type?: string }> }
  return (doc.connections ?? []).filter((c) => c.type === 'mqtt').length
}

describe('failover: every nara lists all three NATS nodes in MQTT_HOST', () => {
  let cluster: NatsCluster
  let plaza: SpreadPlaza

  beforeAll(async () => {
    cluster = await startNatsCluster()
    const list = cluster.urls.join(',')
    plaza = await startSpreadPlaza({ urls: [list, list, list, list], townAt: 0, townSize: 2 })
    await plaza.waitViews((v) => allOnline(v, plaza.names))
  }, 180_000)

  afterAll(async () => {
    await plaza?.stop()
    await cluster?.close()
  })

  it('the busiest node killed: its naras move to the others, MISSING at most, never OFFLINE', async () => {
    const counts = await Promise.all(cluster.nodes.map((n) => mqttClients(n.monitorPort)))
    const victim = counts.indexOf(Math.max(...counts))
    const moving = counts[victim]!
    expect(moving).toBeGreaterThan(0)
    const watches = plaza.names.map((name) => watchStates(plaza, name))
    try {
      await cluster.nodes[victim]!.kill()
      // Its naras notice (a reconnect wait is at least 5 s, so a poll sees it)...
      await plaza.waitViews((v) => v.some((x) => x.status.me?.connected === false))
      // ...and come back: the dead node holds no one, so every nara connected again is on one
      // of the others. Waits are 5-35 s and a walk may try the dead node first: up to 2 windows.
      await plaza.waitViews(
        (v) => allOnline(v, plaza.names) && v.every((x) => x.status.me?.connected === true),
        150_000,
      )
    } finally {
      for (const w of watches) w.stop()
    }
    const offline = watches.flatMap((w) => w.seen().filter((s) => s.state === 'OFFLINE'))
    expect(offline).toEqual([])
  }, 240_000)

  it('the node restarted: nothing breaks', async () => {
    for (const node of cluster.nodes) if (!node.running()) await node.restart()
    await plaza.waitViews((v) => allOnline(v, plaza.names))
  }, 120_000)
})
