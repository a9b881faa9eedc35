import { describe, expect, it } from 'vitest'
import { createEventQueue } from '../src/event-queue.js'
import { DEFAULT_SHAPE, type PlazaShape, plazaLoad } from '../src/model.js'
import { simulate, xorshift } from '../src/simulate.js'

const small: PlazaShape = {
  ...DEFAULT_SHAPE,
  naras: 200,
  newspaperPeriodS: 10,
  hoodSize: 20,
  scribesPerHood: 2,
  digestPeriodS: 10,
}

/** Relative error of `actual` against `expected`. */
const off = (actual: number, expected: number) => Math.abs(actual - expected) / expected

describe('the simulation agrees with the model on a small plaza', () => {
  it('flat: every nara hears every newspaper, N^2/P deliveries', () => {
    const shape = { ...small, legacyNaras: small.naras }
    const model = plazaLoad(shape)
    const sim = simulate(shape, { measureS: 400, random: xorshift(7) })
    expect(model.brokerDeliveriesPerS).toBeCloseTo((200 * 199) / 10)
    expect(off(sim.brokerDeliveriesPerS, model.brokerDeliveriesPerS)).toBeLessThan(0.03)
    expect(off(sim.legacy.messagesPerS, model.legacy.messagesPerS)).toBeLessThan(0.03)
    expect(off(sim.legacy.bytesPerS, model.legacy.bytesPerS)).toBeLessThan(0.03)
    expect(off(sim.legacy.freshnessNearS, model.legacy.freshnessNearS)).toBeLessThan(0.08)
  })

  it('neighbourhoods: G-1 newspapers and K·r digests per period, fresher than MISSING', () => {
    const shape = { ...small, legacyNaras: 0 }
    const model = plazaLoad(shape)
    const sim = simulate(shape, { measureS: 400, random: xorshift(11) })
    for (const key of ['messagesPerS', 'bytesPerS', 'verificationsPerS'] as const) {
      expect(off(sim.hood[key], model.hood[key])).toBeLessThan(0.05)
    }
    expect(off(sim.brokerDeliveriesPerS, model.brokerDeliveriesPerS)).toBeLessThan(0.05)
    expect(off(sim.hood.freshnessNearS, model.hood.freshnessNearS)).toBeLessThan(0.1)
    expect(off(sim.hood.freshnessFarS, model.hood.freshnessFarS)).toBeLessThan(0.1)
    expect(sim.hood.messagesPerS).toBeLessThan(
      plazaLoad({ ...shape, legacyNaras: 200 }).legacy.messagesPerS,
    )
  })

  it('a mixed plaza: legacy naras still hear everything, new ones their neighbourhood', () => {
    const shape = { ...small, legacyNaras: 40 }
    const model = plazaLoad(shape)
    const sim = simulate(shape, { measureS: 400, random: xorshift(5) })
    expect(off(sim.legacy.messagesPerS, model.legacy.messagesPerS)).toBeLessThan(0.05)
    expect(off(sim.hood.messagesPerS, model.hood.messagesPerS)).toBeLessThan(0.05)
    expect(off(sim.brokerDeliveriesPerS, model.brokerDeliveriesPerS)).toBeLessThan(0.05)
  })
})

describe('event queue', () => {
  it('pops in time order, ties in insertion order', () => {
    const q = createEventQueue<string>()
    const random = xorshift(3)
    const times = Array.from({ length: 500 }, () => Math.floor(random() * 50))
    for (const [i, t] of times.entries()) q.push(t, `${t}:${i}`)
    const out: string[] = []
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e.event)
    const expected = times.map((t, i) => ({ t, i })).sort((a, b) => a.t - b.t || a.i - b.i)
    expect(out).toEqual(expected.map(({ t, i }) => `${t}:${i}`))
  })
})
