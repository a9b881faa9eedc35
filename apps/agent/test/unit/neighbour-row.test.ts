import { describe, expect, it } from 'vitest'
import { Row, RowStore } from '../../src/neighbour-row.js'
import { createNeighbourhood } from '../../src/neighbourhood.js'

describe('neighbour rows in columns', () => {
  it('a new row is hearsay, first seen now, every other number undefined or 0', () => {
    const row = new Row(new RowStore(), 'alice', 1_700_000_000_123)
    expect(row.facts()).toEqual({
      name: 'alice',
      publicKey: undefined,
      naraId: undefined,
      status: undefined,
      statusAtMs: undefined,
      firstSeenMs: 1_700_000_000_123,
      lastSeenMs: undefined,
      lastEvidence: 'hearsay',
      hearsay: true,
      standingSinceMs: undefined,
      restarts: 0,
      lastRestartMs: undefined,
      verified: 0,
      lastNewspaperMs: undefined,
      lastHeyThereMs: undefined,
    })
    expect([row.offlineAtMs, row.onlineSinceMs, row.accumulatedMs]).toEqual([
      undefined,
      undefined,
      0,
    ])
  })

  it('keeps each number of each row apart, and undefined as undefined', () => {
    const store = new RowStore()
    const rows = Array.from({ length: 40 }, (_, i) => new Row(store, `n${i}`, i))
    rows.forEach((r, i) => {
      r.lastSeenMs = 1_700_000_000_000 + i
      r.restarts = i
      r.lastEvidence = i % 2 === 0 ? 'newspaper' : 'chau'
      r.hearsay = false
      r.onlineSinceMs = i
    })
    rows[3]!.lastSeenMs = undefined
    rows.forEach((r, i) => {
      expect(r.lastSeenMs).toBe(i === 3 ? undefined : 1_700_000_000_000 + i)
      expect([r.restarts, r.lastEvidence, r.hearsay, r.onlineSinceMs, r.firstSeenMs]).toEqual([
        i,
        i % 2 === 0 ? 'newspaper' : 'chau',
        false,
        i,
        i,
      ])
    })
  })

  it('reuses the slots of released rows, and the released row reads as empty', () => {
    const store = new RowStore()
    const a = new Row(store, 'a', 1)
    a.hearsay = false
    a.restarts = 5
    a.release()
    a.release()
    expect([a.hearsay, a.restarts, a.lastSeenMs]).toEqual([false, 0, undefined])
    const b = new Row(store, 'b', 2)
    expect(store.used()).toBe(1)
    expect([b.hearsay, b.restarts, b.firstSeenMs]).toEqual([true, 0, 2])
    a.restarts = 9
    expect(b.restarts).toBe(0)
  })

  it('grows by doubling: never room for more than twice the most rows held at once', () => {
    const store = new RowStore()
    for (let round = 0; round < 50; round++) {
      const rows = Array.from({ length: 100 }, (_, i) => new Row(store, `r${i}`, round))
      for (const r of rows) r.release()
    }
    expect(store.used()).toBe(0)
    expect(store.capacity()).toBeGreaterThanOrEqual(100)
    expect(store.capacity()).toBeLessThanOrEqual(200)
  })

  it('a bounded table evicting a flood of names keeps its rows intact', () => {
    let now = 1_000_000
    const n = createNeighbourhood({ me: 'me', nowMs: () => now, maxEntries: 20 })
    n.observe('alice', 'hey_there', { publicKey: 'AK', standing: true })
    for (let i = 0; i < 5000; i++) {
      now += 1
      n.learnHearsay(`sybil${i}`, { publicKey: `K${i}` })
    }
    expect(n.size()).toBeLessThanOrEqual(20)
    expect(n.get('alice')).toMatchObject({
      state: 'ONLINE',
      publicKey: 'AK',
      lastSeenMs: 1_000_000,
    })
    const kept = n.list().filter((x) => x.hearsay)
    expect(kept.length).toBeGreaterThan(0)
    for (const x of kept) expect(x.publicKey).toBe(`K${x.name.slice('sybil'.length)}`)
    for (const x of kept) expect(x.firstSeenMs).toBe(1_000_000 + Number(x.name.slice(5)) + 1)
  })
})
