/**
 * ExpiringSet with owners: each owner's keys are forgotten oldest first even after deletes out of
 * order and re-adds, and for any mix of owned operations (incl. time going back) the memory
 * answers like a plain model that scans its keys in insertion order. Ties between payers holding
 * the same count may be broken either way: the model follows the owner that paid, once it checked
 * that owner's count and class.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { ExpiringSet, type KeyOwner } from '../src/expiring-set.js'

interface Payer {
  readonly count: number
  readonly standing: boolean
}

class OwnedModel {
  readonly map = new Map<string, { expiresAt: number; owner: string | undefined }>()
  readonly standing = new Map<string, boolean>()
  constructor(
    readonly maxSize: number,
    readonly ttlMs: number,
    readonly maxPerOwner: number,
  ) {}
  prune(now: number): void {
    for (const [key, entry] of this.map) {
      if (entry.expiresAt > now) break
      this.forget(key)
    }
  }
  forget(key: string | undefined): void {
    const owner = key === undefined ? undefined : this.map.get(key)?.owner
    if (key !== undefined) this.map.delete(key)
    if (owner !== undefined && this.count(owner) === 0) this.standing.delete(owner)
  }
  count(owner: string): number {
    return [...this.map.values()].filter((e) => e.owner === owner).length
  }
  oldestOf(owner: string): string | undefined {
    for (const [key, entry] of this.map) if (entry.owner === owner) return key
    return undefined
  }
  has(key: string, now: number): boolean {
    return (this.map.get(key)?.expiresAt ?? 0) > now
  }
  /** The count and class of the owner that pays for `by` (see owner-shares.ts). */
  payer(by: KeyOwner | undefined): Payer | undefined {
    if (by === undefined) return undefined
    const mine = this.count(by.owner)
    const top = (standing: boolean): number => {
      let best = 0
      for (const [o, s] of this.standing) {
        if (o !== by.owner && s === standing) best = Math.max(best, this.count(o))
      }
      return best
    }
    const rest = top(false)
    if (rest > 0 && (by.standing === true || rest >= mine)) return { count: rest, standing: false }
    const known = top(true)
    return known > 0 && known >= mine ? { count: known, standing: true } : undefined
  }
  clone(): OwnedModel {
    const copy = new OwnedModel(this.maxSize, this.ttlMs, this.maxPerOwner)
    for (const [key, entry] of this.map) copy.map.set(key, entry)
    for (const [owner, standing] of this.standing) copy.standing.set(owner, standing)
    return copy
  }
  set(key: string, now: number, by: KeyOwner | undefined): void {
    this.forget(key)
    this.map.set(key, { expiresAt: now + this.ttlMs, owner: by?.owner })
    if (by !== undefined) this.standing.set(by.owner, by.standing === true)
  }
}

const OWNERS = ['a', 'b', 'c', 'd']

const KEYS = Array.from({ length: 12 }, (_, k) => `k${k}`)

/** Whether `s` answers like `m` at `now` (sizes, each owner's count, each key). */
function same(s: ExpiringSet, m: OwnedModel, now: number): boolean {
  m.prune(now)
  return (
    s.size(now) === m.map.size &&
    s.owners(now) === m.standing.size &&
    OWNERS.every((o) => s.sizeOf(o, now) === m.count(o)) &&
    KEYS.every((k) => s.has(k, now) === m.has(k, now))
  )
}

/**
 * Checks that `s` paid for `by` with the oldest key of an owner like `payer` (not `by`'s) before
 * it set `key`, and makes the model follow (forgetting that key may let older expired keys be
 * pruned).
 */
function followPayer(
  s: ExpiringSet,
  m: OwnedModel,
  payer: Payer,
  key: string,
  by: KeyOwner,
  now: number,
) {
  const follow = (model: OwnedModel, owner: string): void => {
    model.forget(model.oldestOf(owner))
    model.set(key, now, by)
  }
  const paid = [...m.standing]
    .filter(([o, standing]) => o !== by.owner && standing === payer.standing)
    .map(([o]) => o)
    .filter((o) => m.count(o) === payer.count)
    .filter((o) => {
      const followed = m.clone()
      follow(followed, o)
      return same(s, followed, now)
    })
  expect(paid.length).toBeGreaterThan(0)
  follow(m, paid[0] as string)
}

function add(s: ExpiringSet, m: OwnedModel, key: string, now: number, by?: KeyOwner): void {
  const actual = s.add(key, now, by)
  m.prune(now)
  let payer: Payer | undefined
  let expected: 'added' | 'present' | 'full' = 'added'
  if (m.has(key, now)) expected = 'present'
  else if (by !== undefined && m.count(by.owner) >= m.maxPerOwner) expected = 'full'
  else if (m.map.size >= m.maxSize) {
    payer = m.payer(by)
    if (payer === undefined) expected = 'full'
  }
  expect(actual).toBe(expected)
  if (expected !== 'added') return
  if (payer === undefined) m.set(key, now, by)
  else followPayer(s, m, payer, key, by as KeyOwner, now)
}

function refresh(s: ExpiringSet, m: OwnedModel, key: string, now: number, by?: KeyOwner): void {
  s.refresh(key, now, by)
  m.prune(now)
  m.forget(key)
  if (by !== undefined && m.count(by.owner) >= m.maxPerOwner) m.forget(m.oldestOf(by.owner))
  const payer = m.map.size >= m.maxSize ? m.payer(by) : undefined
  if (payer !== undefined) followPayer(s, m, payer, key, by as KeyOwner, now)
  else {
    if (m.map.size >= m.maxSize) m.forget(m.map.keys().next().value)
    m.set(key, now, by)
  }
}

describe('ExpiringSet owners', () => {
  const alice = { owner: 'alice' }
  const carol = { owner: 'carol', standing: true }

  it('forgets an owner’s keys oldest first after deletes out of order', () => {
    const s = new ExpiringSet(10, 1000, 10)
    for (let i = 0; i < 10; i++) s.add(`a${i}`, i, alice)
    for (const i of [7, 3, 5]) s.delete(`a${i}`)
    for (const owner of ['bob', 'dave', 'erin']) s.add(owner, 10, { owner })
    // Full: each of carol's adds makes alice (the biggest holder without standing) pay.
    const forgotten: string[] = []
    for (let i = 0; i < 5; i++) {
      const kept = Array.from({ length: 10 }, (_, j) => `a${j}`).filter((k) => s.has(k, 20))
      expect(s.add(`c${i}`, 20, carol)).toBe('added')
      forgotten.push(...kept.filter((k) => !s.has(k, 20)))
    }
    expect(forgotten).toEqual(['a0', 'a1', 'a2', 'a4', 'a6'])
    expect([s.sizeOf('alice', 20), s.has('a8', 20), s.has('a9', 20)]).toEqual([2, true, true])
  })

  it('a key deleted and re-added by the same owner is its newest, not forgotten early', () => {
    const s = new ExpiringSet(3, 1000, 3)
    s.add('a1', 0, alice)
    s.add('a2', 1, alice)
    s.delete('a1')
    expect(s.add('a1', 2, alice)).toBe('added')
    s.add('b1', 3, { owner: 'bob' })
    expect(s.add('c1', 4, carol)).toBe('added')
    expect([s.has('a1', 4), s.has('a2', 4)]).toEqual([true, false])
    // The same through refresh: a1 becomes alice's newest again.
    s.add('a3', 5, alice)
    s.refresh('a1', 6, alice)
    expect(s.add('c2', 7, carol)).toBe('added')
    expect([s.has('a1', 7), s.has('a3', 7), s.sizeOf('alice', 7)]).toEqual([true, false, 1])
  })

  it('an expired key still remembered (time went back) that pays for its own re-add is forgotten once', () => {
    const s = new ExpiringSet(3, 10, 3)
    s.add('z', 100, { owner: 'q' })
    s.add('x', 50, { owner: 'p' })
    s.add('w', 50, { owner: 'p' })
    // At 70, z (unexpired) stops pruning before x and w (expired at 60): the memory is full, and
    // p, the biggest holder, pays with its oldest key: x, the very key carol adds.
    expect(s.add('x', 70, carol)).toBe('added')
    expect([s.sizeOf('p', 70), s.sizeOf('carol', 70), s.size(70), s.owners(70)]).toEqual([
      1, 1, 3, 3,
    ])
    expect(s.size(111)).toBe(0)
  })

  it('answers like the plain model for random owned operations (incl. time going back)', () => {
    const random = seededRandom(4242)
    for (let round = 0; round < 60; round++) {
      const max = 1 + Math.floor(random() * 8)
      const perOwner = 1 + Math.floor(random() * max)
      const ttl = 1 + Math.floor(random() * 50)
      const s = new ExpiringSet(max, ttl, perOwner)
      const m = new OwnedModel(max, ttl, perOwner)
      let now = 1000
      for (let step = 0; step < 300; step++) {
        now += random() < 0.1 ? -Math.floor(random() * 20) : Math.floor(random() * 4)
        const key = KEYS[Math.floor(random() * KEYS.length)] as string
        const owner = OWNERS[Math.floor(random() * OWNERS.length)] as string
        const by = random() < 0.1 ? undefined : { owner, standing: random() < 0.3 }
        const op = random()
        if (op < 0.5) add(s, m, key, now, by)
        else if (op < 0.65) refresh(s, m, key, now, by)
        else if (op < 0.8) {
          s.delete(key)
          m.forget(key)
        } else expect(s.has(key, now)).toBe(m.has(key, now))
        expect(same(s, m, now)).toBe(true)
      }
    }
  })
})
