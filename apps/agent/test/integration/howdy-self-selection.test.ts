import type { Plaza } from '@nara/plaza'
import type { HowdyEvent } from '@nara/protocol'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  type AgentProcess,
  type StatusDoc,
  spawnAgent,
  stopAgent,
} from '../helpers/agent-process.js'
import { startObserver } from '../helpers/observer.js'

describe('howdy self-selection: 15 agents and one newcomer', () => {
  let broker: MosquittoBroker
  let town: AgentProcess
  let newcomer: AgentProcess | undefined
  let observer: Plaza
  const howdys: HowdyEvent[] = []

  beforeAll(async () => {
    broker = await startMosquitto()
    town = await spawnAgent({
      brokerUrl: broker.url,
      env: {
        NARA_MODE: 'town',
        NARA_TOWN_SIZE: '15',
        NARA_HOWDY_DELAY_MAX_MS: '3000',
        // One newspaper at join, then none during the test: the newcomer can only learn by howdy.
        NARA_NEWSPAPER_PERIOD_S: '600',
        NARA_MISSING_AFTER_S: '60',
      },
    })
    // Settled: every nara knows the 14 others (ONLINE from their own messages, or named in the
    // howdys it got: with newspapers every 600 s, a nara that started after another's first
    // newspaper only hears of it), and every answer budget has room again.
    await town.waitFor(
      (s) =>
        s.naras.length === 15 &&
        s.naras.every((n: StatusDoc) => n.neighbourhood.length === 14) &&
        s.naras.every((n: StatusDoc) => n.howdy.tokens >= 1),
      45_000,
    )
    observer = await startObserver(broker.url, 'watcher')
    observer.on('howdy', (ev) => howdys.push(ev.message))
  }, 60_000)

  afterAll(async () => {
    await observer?.stop()
    await stopAgent(newcomer)
    await stopAgent(town)
    await broker?.close()
  })

  it('at most about 10 answer, and the newcomer learns the neighbourhood from them', async () => {
    // The newcomer sends no newspapers for a while, so what it knows comes from howdys.
    newcomer = await spawnAgent({
      brokerUrl: broker.url,
      env: {
        NARA_HOWDY_DELAY_MAX_MS: '3000',
        NARA_NEWSPAPER_PERIOD_S: '600',
        NARA_MISSING_AFTER_S: '60',
      },
    })
    const me = (await newcomer.waitFor((s) => s.me !== null)).me.name
    const s = await newcomer.waitFor((st) => st.neighbourhood.length >= 10)
    // Let the 0-3 s answer window of every town nara run out (polling, not asserting time).
    const started = Date.now()
    await newcomer.waitFor(() => Date.now() - started > 4000)
    const toNewcomer = howdys.filter((h) => h.To === me)
    expect(toNewcomer.length).toBeGreaterThanOrEqual(1)
    expect(toNewcomer.length).toBeLessThanOrEqual(12)
    expect(new Set(toNewcomer.map((h) => h.From)).size).toBe(toNewcomer.length)
    expect(toNewcomer.every((h) => h.Seq >= 1 && h.Seq <= 10 && h.Me.Observations !== null)).toBe(
      true,
    )
    expect(s.neighbourhood.length).toBeGreaterThanOrEqual(10)
    const viaHowdy = s.neighbourhood.filter(
      (n: StatusDoc) => n.lastEvidence === 'howdy' || n.hearsay,
    )
    expect(viaHowdy.length).toBe(s.neighbourhood.length)
  }, 60_000)
})
