/**
 * The page's state (page/page-state.ts, pure): a snapshot replaces everything, updates apply in
 * order, the stream stays bounded, a paused stream buffers and then counts what it skips.
 */
import { describe, expect, it } from 'vitest'
import { apply, initialState, STREAM_MAX, setPaused } from '../page/page-state.js'
import type { Snapshot, StreamItem } from '../src/view-types.js'

const item = (seq: number): StreamItem => ({
  seq,
  atMs: 1000 + seq,
  kind: 'social',
  topic: 'nara/plaza/social',
  sender: 'alice',
  nameProof: 'signature',
  summary: 'tease bob',
})

const snapshot = (dropped: number): Snapshot => ({
  version: 1,
  nowMs: 5000,
  source: { mode: 'town', broker: 'mqtt://127.0.0.1:1883' },
  connected: true,
  missingAfterS: 300,
  naras: [],
  stream: { items: [item(1)], dropped, capacity: 500 },
  refused: { totals: {}, perMinute: [], recent: [], conflicts: [] },
  checkpoints: [],
})

describe('page state', () => {
  it('starts from the snapshot, counting what the server already dropped as skipped', () => {
    const s = apply(initialState(), { type: 'snapshot', data: snapshot(7) })
    expect(s).toMatchObject({ live: true, connected: true, skipped: 7 })
    expect(s.stream.map((i) => i.seq)).toEqual([1])
  })

  it('keeps the stream bounded under a flood', () => {
    let s = apply(initialState(), { type: 'snapshot', data: snapshot(0) })
    for (let i = 2; i < STREAM_MAX * 3; i++) s = apply(s, { type: 'event', data: item(i) })
    expect(s.stream).toHaveLength(STREAM_MAX)
    expect(s.stream.at(-1)?.seq).toBe(STREAM_MAX * 3 - 1)
  })

  it('buffers while paused, counts the overflow as skipped, and shows the buffer on resume', () => {
    let s = setPaused(apply(initialState(), { type: 'snapshot', data: snapshot(0) }), true)
    for (let i = 2; i < STREAM_MAX + 12; i++) s = apply(s, { type: 'event', data: item(i) })
    expect(s.stream.map((i) => i.seq)).toEqual([1])
    expect(s.pending).toHaveLength(STREAM_MAX)
    expect(s.skipped).toBe(10)
    s = apply(s, { type: 'skipped', data: { count: 5 } })
    expect(s.skipped).toBe(15)
    s = setPaused(s, false)
    expect(s.pending).toEqual([])
    expect(s.stream.at(-1)?.seq).toBe(STREAM_MAX + 1)
  })

  it('adds a drop to its minute and to the latest drops', () => {
    let s = apply(initialState(), { type: 'snapshot', data: snapshot(0) })
    const drop = {
      atMs: 60_000,
      topic: 't',
      reason: 'stale',
      kind: null,
      claimedSender: null,
      detail: null,
    }
    s = apply(s, { type: 'drop', data: drop })
    s = apply(s, { type: 'drop', data: { ...drop, atMs: 60_500 } })
    expect(s.refused.perMinute).toEqual([{ minuteMs: 60_000, byReason: { stale: 2 } }])
    expect(s.refused.totals).toEqual({ stale: 2 })
    expect(s.refused.recent).toHaveLength(2)
  })
})
