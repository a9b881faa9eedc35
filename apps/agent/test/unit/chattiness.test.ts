import { describe, expect, it } from 'vitest'
import {
  computeChattiness,
  createBuzz,
  newspaperPeriodS,
  weightedBuzz,
} from '../../src/chattiness.js'

describe('newspaperPeriodS', () => {
  it('maps chattiness 0..100 onto 300..30 s with integer maths', () => {
    expect(newspaperPeriodS(100)).toBe(30)
    expect(newspaperPeriodS(0)).toBe(300)
    expect(newspaperPeriodS(73)).toBe(30 + Math.floor((270 * 27) / 100))
    expect(newspaperPeriodS(150)).toBe(30)
    expect(newspaperPeriodS(-5)).toBe(300)
  })
})

describe('computeChattiness', () => {
  const base = {
    forced: undefined,
    localBuzz: 0,
    peerBuzz: [],
    ownPublishedBuzz: 0,
    loadPerCpu: 2,
    booting: false,
  }
  it('is 100 while booting', () => {
    expect(computeChattiness({ ...base, forced: 0, booting: true })).toBe(100)
  })
  it('uses the forced value', () => {
    expect(computeChattiness({ ...base, forced: 42, loadPerCpu: 0 })).toBe(42)
  })
  it('adds up to 20 for an idle machine and caps at 100', () => {
    expect(computeChattiness({ ...base, loadPerCpu: 0 })).toBe(20)
    expect(
      computeChattiness({ ...base, localBuzz: 182, ownPublishedBuzz: 182, loadPerCpu: 0 }),
    ).toBe(100)
  })
  it('weights local, average and highest buzz', () => {
    expect(weightedBuzz(100, [10, 20], 50)).toBe(50 + 3 + 15)
  })
})

describe('createBuzz', () => {
  it('starts at 100, decays 30 per 10 s and clamps', () => {
    let now = 0
    const buzz = createBuzz(() => now)
    expect(buzz.value()).toBe(100)
    now = 25_000
    expect(buzz.value()).toBe(40)
    buzz.bump(500)
    expect(buzz.value()).toBe(182)
    now = 200_000
    expect(buzz.value()).toBe(0)
  })
})
