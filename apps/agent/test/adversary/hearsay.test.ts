/**
 * End to end, hearsay: one validly signed howdy listing 400 made-up neighbours as ONLINE, sent to
 * a newcomer right after its hey_there, must not raise its ONLINE count (/status `counts.ONLINE`, `nara_neighbours{state="ONLINE"}`):
 * names only heard of in a howdy's `Neighbors` are hearsay until verified evidence arrives.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AgentProcess,
  type StatusDoc,
  spawnAgent,
  stateOf,
  stopAgent,
} from '../helpers/agent-process.js'
import { attacker, nowNs } from './attacker.js'
import { type HonestNaras, startHonestNaras } from './honest-naras.js'
import { publishPacket, rawPublisher } from './raw-mqtt.js'

const onlineMetric = async (port: number) => {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text()
  const m = /nara_neighbours\{state="ONLINE"[^}]*\} (\d+)/.exec(text)
  return m === null ? Number.NaN : Number(m[1])
}

describe('adversary: hearsay (one howdy naming 400 made-up neighbours)', () => {
  let naras: HonestNaras
  let newcomer: AgentProcess | undefined
  beforeAll(async () => {
    naras = await startHonestNaras(1, { NARA_MISSING_AFTER_S: '20' })
  }, 120_000)
  afterAll(async () => {
    await stopAgent(newcomer)
    await naras?.stop()
  })

  it('raises no ONLINE count at the nara it is addressed to: the 400 names stay hearsay', async () => {
    // A newcomer joins; a throwaway key says hey_there (verified, ONLINE at the newcomer), then
    // answers the newcomer's hey_there with a howdy listing 400 invented neighbours.
    const teller = attacker('tall-tale')
    const ghosts = Array.from({ length: 400 }, (_, i) => `ghost-${i}`)
    newcomer = await spawnAgent({
      brokerUrl: naras.broker.url,
      env: { NARA_MISSING_AFTER_S: '20', NARA_HOWDY_DELAY_MAX_MS: '3000' },
    })
    const honest = naras.names[0] as string
    // The teller speaks only once the newcomer has joined: its hey_there went out (the honest
    // nara sees it ONLINE; a howdy to it is refused as stale before that) and it is subscribed
    // (it sees the honest nara ONLINE; a hey_there before its subscription is lost, QoS 0).
    const me = (await newcomer.waitFor((s) => s.me !== null)).me.name as string
    await (naras.agents[0] as AgentProcess).waitFor((s) => stateOf(s, me) === 'ONLINE')
    await newcomer.waitFor((s) => stateOf(s, honest) === 'ONLINE')
    const pub = await rawPublisher(naras.broker.url, 'hearsay-driver')
    await pub.write(publishPacket('nara/plaza/hey_there', teller.heyThere(nowNs())))
    // The baseline: the teller and the honest nara (its own howdy answered the join) ONLINE.
    const before = await newcomer.waitFor(
      (s) => stateOf(s, 'tall-tale') === 'ONLINE' && stateOf(s, honest) === 'ONLINE',
    )
    const metricBefore = await onlineMetric(newcomer.httpPort)
    await pub.write(publishPacket('nara/plaza/howdy', teller.howdy(me, 1, ghosts)))
    await pub.close()
    const after = await newcomer.waitFor((s) => stateOf(s, 'ghost-399') !== undefined)
    const metricAfter = await onlineMetric(newcomer.httpPort)
    console.log(
      `hearsay row: ONLINE ${before.counts.ONLINE} -> ${after.counts.ONLINE}; nara_neighbours{ONLINE} ${metricBefore} -> ${metricAfter}; hearsay ${after.counts.hearsay}; table ${after.neighbourhood.length}`,
    )
    expect(after.counts.ONLINE).toBe(before.counts.ONLINE)
    expect(metricAfter).toBe(metricBefore)
    expect(stateOf(after, 'ghost-7')).toBe('hearsay')
    expect(after.neighbourhood.filter((r: StatusDoc) => r.state === 'ONLINE').length).toBe(
      before.counts.ONLINE,
    )
  }, 120_000)
})
