import type { Plaza } from '@nara/plaza'
import { type NatsCluster, startNatsCluster } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StatusDoc, stateOf } from '../helpers/agent-process.js'
import { startObserver } from '../helpers/observer.js'
import { allOnline, finalAcceptedEverywhere, watchStates } from './plaza-checks.js'
import { type SpreadPlaza, startSpreadPlaza } from './spread-plaza.js'

describe('a plaza spread over a 3-node NATS cluster (MQTT listeners, JetStream)', () => {
  let cluster: NatsCluster
  let plaza: SpreadPlaza
  let mallory: Plaza | undefined

  beforeAll(async () => {
    cluster = await startNatsCluster()
    // One nara on each node, and a town of three on node 1.
    plaza = await startSpreadPlaza({ urls: cluster.urls, townAt: 0, townSize: 3 })
  }, 120_000)

  afterAll(async () => {
    await mallory?.stop()
    await plaza?.stop()
    await cluster?.close()
  })

  it('every nara sees every other ONLINE, whatever node it is on', async () => {
    const views = await plaza.waitViews((v) => allOnline(v, plaza.names))
    expect(new Set(views.map((v) => v.broker))).toEqual(new Set([0, 1, 2]))
  }, 120_000)

  it('a tease published on node 1 arrives verified on node 3', async () => {
    mallory = await startObserver(cluster.urls[0]!, 'mallory')
    await mallory.sayHeyThere()
    const target = plaza.names[2]!
    await plaza.singles[2]!.waitFor((st) => stateOf(st, 'mallory') === 'ONLINE')
    await mallory.publishSocial({ type: 'tease', target, reason: 'comeback' })
    const s = await plaza.singles[2]!.waitFor((st) =>
      st.social.some((e: StatusDoc) => e.actor === 'mallory' && e.target === target),
    )
    expect(s.social.filter((e: StatusDoc) => e.actor === 'mallory')).toHaveLength(1)
  }, 60_000)

  it('a checkpoint whose voters are on other nodes is final and accepted everywhere', async () => {
    // The singles are alone on their node: a final they proposed carries votes from elsewhere.
    const proposers = plaza.names.slice(1, 3)
    const views = await plaza.waitViews((v) => finalAcceptedEverywhere(v, proposers) !== undefined)
    const { subject, id } = finalAcceptedEverywhere(views, proposers)!
    expect(proposers).toContain(subject)
    expect(id).toMatch(/^[0-9a-f]{32}$/)
  }, 120_000)

  it('node 3 killed (SIGKILL) and restarted: its nara is reconnecting, never OFFLINE', async () => {
    const node = cluster.nodes[2]!
    const nara = plaza.singles[2]!
    const name = plaza.names[2]!
    const watch = watchStates(plaza, name)
    try {
      const before = (await nara.status()).reconnects
      await node.kill()
      await nara.waitFor((s) => s.me.connected === false)
      await node.restart()
      await nara.waitFor((s) => s.me.connected === true && s.reconnects > before, 90_000)
      await plaza.waitViews((v) => allOnline(v, plaza.names))
    } finally {
      watch.stop()
    }
    expect(watch.seen().filter((s) => s.state === 'OFFLINE')).toEqual([])
    // The others kept it (ONLINE or MISSING) the whole time.
    const views = await plaza.views()
    for (const v of views.filter((x) => x.name !== name))
      expect(stateOf(v.status, name)).toBe('ONLINE')
  }, 180_000)
})
