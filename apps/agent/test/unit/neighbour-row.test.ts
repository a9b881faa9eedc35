import { describe, expect, it } from 'vitest'
import { RowCursor, RowStore } from '../../src/neighbour-row.js'
import { createNeighbourhood } from '../../src/neighbourhood.js'

describe('neighbour rows in columns', () => {
  it('a new row is hearsay, first seen now, every other number undefined or 0', () => {
    const store = new RowStore()
    const row = new RowCursor(store).at(store.alloc('alice', 1_700_000_000_123))
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

  it('keeps each field of each row apart, and undefined as undefined', () => {
    const store = new RowStore<{ Buzz: number }>()
    const row = new RowCursor(store)
    const slots = Array.from({ length: 40 }, (_, i) => store.alloc(`n${i}`, i))
    const statuses = slots.map((_, i) => ({ Buzz: i }))
    slots.forEach((slot, i) => {
      row.at(slot)
      row.lastSeenMs = 1_700_000_000_000 + i
      row.restarts = i
      row.lastEvidence = i % 2 === 0 ? 'newspaper' : 'chau'
      row.hearsay = false
      row.onlineSinceMs = i
      row.publicKey = `K${i}`
      row.status = statuses[i]
    })
    row.at(slots[3]!).lastSeenMs = undefined
    slots.forEach((slot, i) => {
      row.at(slot)
      expect(row.lastSeenMs).toBe(i === 3 ? undefined : 1_700_000_000_000 + i)
      expect([row.name, row.restarts, row.lastEvidence, row.hearsay, row.onlineSinceMs]).toEqual([
        `n${i}`,
        i,
        i % 2 === 0 ? 'newspaper' : 'chau',
        false,
        i,
      ])
      expect([row.firstSeenMs, row.publicKey, row.naraId]).toEqual([i, `K${i}`, undefined])
      expect(row.status).toBe(statuses[i])
    })
  })

  it('reuses the slot of a released row, fresh, and lets go of what it referenced', () => {
    const store = new RowStore<{ Buzz: number }>()
    const row = new RowCursor(store)
    const a = store.alloc('a', 1)
    row.at(a).hearsay = false
    row.restarts = 5
    row.status = { Buzz: 1 }
    store.release(a)
    expect([store.used(), store.names[a], store.statuses[a]]).toEqual([0, '', undefined])
    const b = store.alloc('b', 2)
    expect(b).toBe(a)
    expect(store.used()).toBe(1)
    row.at(b)
    expect([row.name, row.hearsay, row.restarts, row.firstSeenMs, row.status]).toEqual([
      'b',
      true,
      0,
      2,
      undefined,
    ])
  })

  it('grows by a quarter: never room for more than 1.25 times (plus 8) the most rows held at once', () => {
    const store = new RowStore()
    for (let round = 0; round < 50; round++) {
      const slots = Array.from({ length: 100 }, (_, i) => store.alloc(`r${i}`, round))
      for (const slot of slots) store.release(slot)
    }
    expect(store.used()).toBe(0)
    expect(store.capacity()).toBeGreaterThanOrEqual(100)
    expect(store.capacity()).toBeLessThanOrEqual(125 + 8)
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
    for (const x of kept) {
      const i = Number(x.name.slice('sybil'.length))
      expect([x.publicKey, x.firstSeenMs, x.state]).toEqual([`K${i}`, 1_000_000 + i + 1, 'hearsay'])
    }
  })

  it('peek and each hand out cursors: read at once, they move to the next row', () => {
    const n = createNeighbourhood({ me: 'me', nowMs: () => 5 })
    n.observe('alice', 'hey_there', { publicKey: 'AK' })
    n.observe('bob', 'hey_there', { publicKey: 'BK' })
    const names: string[] = []
    n.each((row) => names.push(row.name))
    expect(names.sort()).toEqual(['alice', 'bob'])
    expect(n.peek('alice')?.publicKey).toBe('AK')
    expect(n.peek('bob')?.publicKey).toBe('BK')
    expect(n.get('alice')?.publicKey).toBe('AK')
  })
})
