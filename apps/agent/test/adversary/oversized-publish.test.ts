/**
 * Measured row: one 250 MB PUBLISH on a plaza topic. mosquitto forwards it whole (a broker may
 * allow up to 256 MB); each agent must skip it from its fixed header as the bytes stream past:
 * resident memory growth <= 20 MB (peak), the agent alive and its peers still ONLINE.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stateOf } from '../helpers/agent-process.js'
import { type HonestNaras, MB, memoryWatch, startHonestNaras } from './honest-naras.js'
import { publishHuge, rawPublisher } from './raw-mqtt.js'

const SIZE = 250 * 1000 * 1000

describe('adversary: a 250 MB publish', () => {
  let naras: HonestNaras
  beforeAll(async () => {
    naras = await startHonestNaras(2, { NARA_NEWSPAPER_PERIOD_S: '5', NARA_MISSING_AFTER_S: '20' })
  }, 120_000)
  afterAll(async () => {
    await naras?.stop()
  })

  it('raises no agent resident memory by more than 20 MB, and drops it as too-large', async () => {
    const memory = naras.agents.map((a) => memoryWatch(a.proc.pid as number))
    const base = memory.map((m) => m.start())
    const before = await Promise.all(naras.agents.map((a) => a.status()))
    const pub = await rawPublisher(naras.broker.url, 'huge-driver')
    const started = performance.now()
    await publishHuge(pub, 'nara/plaza/social', SIZE)
    await pub.close()
    // Every agent has seen it go past once its too-large count moved (both connections of a
    // single nara, its own and its web page's, get a copy; /status counts its own).
    const tooLarge = (s: { drops: Record<string, number> }) => s.drops['too-large'] ?? 0
    const after = await Promise.all(
      naras.agents.map((a, i) => a.waitFor((s) => tooLarge(s) > tooLarge(before[i]), 120_000)),
    )
    const seconds = (performance.now() - started) / 1000
    const growth = memory.map((m) => m.growth())
    console.log(
      `250 MB row: ${SIZE} B published and skipped in ${seconds.toFixed(1)} s; RSS before ${base.map((b) => Math.round(b / MB)).join('/')} MB, peak growth ${growth.map((g) => (g / MB).toFixed(1)).join('/')} MB`,
    )
    for (const g of growth) expect(g).toBeLessThanOrEqual(20 * MB)
    // While 250 MB stream past, everything behind them on the connection waits (a peer may be
    // seen MISSING for that long): afterwards every peer is ONLINE again.
    const missingMeanwhile = after.map((s, i) => stateOf(s, naras.names[1 - i] as string))
    console.log(`250 MB row: peer state when the drop was counted ${missingMeanwhile.join('/')}`)
    await Promise.all(
      naras.agents.map((a, i) =>
        a.waitFor((s) => stateOf(s, naras.names[1 - i] as string) === 'ONLINE', 60_000),
      ),
    )
    expect(after.length).toBe(2)
    expect(naras.agents.every((a) => a.alive())).toBe(true)
  }, 180_000)
})
