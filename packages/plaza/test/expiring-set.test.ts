/**
 * ExpiringSet (the replay memories): TTL, fail-closed when full, and the same answers as the
 * plain model below (a scan of the oldest keys on every call) for any mix of operations,
 * including deletes of the oldest key and a clock that goes back.
 */
import { describe, expect, it } from 'vitest'
import { ExpiringSet } from '../src/expiring-set.js'

/** The reference: what ExpiringSet did before it kept the first key's expiry aside. */
class ModelSet {
  readonly map = new Map<string, number>()
  constructor(
    readonly maxSize: number,
    readonly ttlMs: number,
  ) {}
  prune(now: number): void {
    for (const [key, expiresAt] of this.map) {
      if (expiresAt > now) break
      this.map.delete(key)
    }
  }
  size(now: number): number {
    this.prune(now)
    return this.map.size
  }
  has(key: string, now: number): boolean {
    const e = this.map.get(key)
    return e !== undefined && e > now
  }
  add(key: string, now: number): 'added' | 'present' | 'full' {
    this.prune(now)
    if (this.has(key, now)) return 'present'
    if (this.map.size >= this.maxSize) return 'full'
    this.map.delete(key)
    this.map.set(key, now + this.ttlMs)
    return 'added'
  }
  refresh(key: string, now: number): void {
    this.prune(now)
    this.map.delete(key)
    if (this.map.size >= this.maxSize) {
      const oldest = this.map.keys().next()
      if (!oldest.done) this.map.delete(oldest.value)
    }
    this.map.set(key, now + this.ttlMs)
  }
  delete(key: string): void {
    this.map.delete(key)
  }
}

describe('ExpiringSet', () => {
  it('remembers a key for ttlMs, refuses when full of unexpired keys, frees expired room', () => {
    const s = new ExpiringSet(2, 100)
    expect(s.add('a', 0)).toBe('added')
    expect(s.add('a', 50)).toBe('present')
    expect(s.add('b', 60)).toBe('added')
    expect(s.add('c', 70)).toBe('full')
    expect(s.has('a', 99)).toBe(true)
    expect(s.has('a', 100)).toBe(false)
    expect(s.add('c', 100)).toBe('added')
    expect(s.size(100)).toBe(2)
    expect(s.size(170)).toBe(1)
    expect(s.size(200)).toBe(0)
  })

  it('prunes past a deleted first key', () => {
    const s = new ExpiringSet(2, 100)
    s.add('a', 0)
    s.add('b', 10)
    s.delete('a')
    expect(s.add('c', 50)).toBe('added')
    expect(s.add('d', 111)).toBe('added') // b expired at 110
    expect(s.size(111)).toBe(2)
  })

  it('answers like the plain model for random operations (incl. time going back)', () => {
    let x = 12345
    const rand = () => {
      x ^= x << 13
      x ^= x >>> 17
      x ^= x << 5
      return (x >>> 0) / 2 ** 32
    }
    for (let round = 0; round < 40; round++) {
      const max = 1 + Math.floor(rand() * 8)
      const ttl = 1 + Math.floor(rand() * 50)
      const s = new ExpiringSet(max, ttl)
      const m = new ModelSet(max, ttl)
      let now = 1000
      for (let step = 0; step < 400; step++) {
        const r = rand()
        now += r < 0.05 ? -Math.floor(rand() * 20) : Math.floor(rand() * 6)
        const key = `k${Math.floor(rand() * 12)}`
        const op = rand()
        if (op < 0.45) expect(s.add(key, now)).toBe(m.add(key, now))
        else if (op < 0.7) expect(s.has(key, now)).toBe(m.has(key, now))
        else if (op < 0.8) {
          s.refresh(key, now)
          m.refresh(key, now)
        } else if (op < 0.9) {
          s.delete(key)
          m.delete(key)
        } else expect(s.size(now)).toBe(m.size(now))
      }
    }
  })
})
