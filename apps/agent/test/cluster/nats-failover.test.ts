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
      const survivors = cluster.nodes.filter((_, i) => i !== victim)
      // Every connection that was on the dead node is back on a surviving one...
      const total = counts.reduce((s, n) => s + n, 0)
      await expect
        .poll(
          async () =>
            (await Promise.all(survivors.map((n) => mqttClients(n.monitorPort)))).reduce(
              (s, n) => s + n,
              0,
            ),
          { timeout: 90_000, interval: 250 },
        )
        .toBeGreaterThanOrEqual(total)
      // ...and the plaza converges: everyone ONLINE for everyone.
      await plaza.waitViews(
        (v) => allOnline(v, plaza.names) && v.every((x) => x.status.me?.connected !== false),
      )
    } finally {
      for (const w of watches) w.stop()
    }
    const offline = watches.flatMap((w) => w.seen().filter((s) => s.state === 'OFFLINE'))
    expect(offline).toEqual([])
  }, 180_000)

  it('the node restarted: nothing breaks', async () => {
    for (const node of cluster.nodes) if (!node.running()) await node.restart()
    await plaza.waitViews((v) => allOnline(v, plaza.names))
  }, 120_000)
})
