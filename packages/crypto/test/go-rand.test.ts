import { describe, expect, it } from 'vitest'
import { GoRand, int64BigEndian } from './helpers/public-api.js'

describe('GoRand (Go math/rand, NewSource)', () => {
  it('is deterministic per seed and differs across seeds', () => {
    const a = new GoRand(42n)
    const b = new GoRand(42n)
    const c = new GoRand(43n)
    const xs = Array.from({ length: 5 }, () => a.int63())
    expect(Array.from({ length: 5 }, () => b.int63())).toEqual(xs)
    expect(c.int63()).not.toBe(xs[0])
  })

  it('matches Go for rand.New(rand.NewSource(1)).Int63() (Go documentation value)', () => {
    // Go: rand.New(rand.NewSource(1)).Int63() == 5577006791947779410 (the classic "first value").
    expect(new GoRand(1n).int63()).toBe(5577006791947779410n)
  })

  it('treats seed 0 like 89482311 and wraps negative seeds like Go', () => {
    expect(new GoRand(0n).int63()).toBe(new GoRand(89482311n).int63())
    const m = 2147483647n
    expect(new GoRand(-1n).int63()).toBe(new GoRand(m - 1n).int63())
  })

  it('intn stays in range, including powers of two', () => {
    const r = new GoRand(7n)
    for (let i = 0; i < 1000; i++) {
      const v = r.intn(59)
      expect(v).toBeGreaterThanOrEqual(0)
      expect(v).toBeLessThan(59)
      expect(r.intn(64)).toBeLessThan(64)
    }
    expect(() => r.intn(0)).toThrow(RangeError)
  })

  it('reads the first 8 bytes as a big-endian signed int64', () => {
    expect(int64BigEndian(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]))).toBe(
      -1n,
    )
    expect(int64BigEndian(new Uint8Array([0, 0, 0, 0, 0, 0, 1, 0, 9]))).toBe(256n)
  })
})
