/** Issue 10, replays through the inbound pipeline (manual clock). */
import { TOPICS } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import {
  finalOf,
  freshNara,
  heyThereOf,
  NS,
  newspaperOf,
  testNara,
} from './fixtures/signed-messages.js'
import { testPipeline } from './helpers.js'

const alice = testNara('alice')
const WINDOW_MS = 600_000

describe('replays', () => {
  it('a hey_there replayed at exactly the last millisecond it is fresh is a duplicate', () => {
    const { pipeline, clock, counters, delivered } = testPipeline({ freshnessWindowMs: WINDOW_MS })
    // Received at the first instant it is fresh (ts = now + window)...
    const bytes = heyThereOf(alice, (BigInt(clock.now()) + BigInt(WINDOW_MS)) * NS)
    pipeline.handle(TOPICS.heyThere, bytes)
    // ...and replayed at the last (ts = now - window).
    clock.advance(2 * WINDOW_MS)
    pipeline.handle(TOPICS.heyThere, bytes)
    expect(delivered).toHaveLength(1)
    expect(counters.snapshot().dropped.duplicate).toBe(1)
    clock.advance(1)
    pipeline.handle(TOPICS.heyThere, bytes)
    expect(counters.snapshot().dropped.stale).toBe(1)
  })

  it('a genuine final replayed 20 min later with a new ts is stale (freshness from the signed as_of_time)', () => {
    const { pipeline, clock, counters, delivered } = testPipeline({ freshnessWindowMs: WINDOW_MS })
    const voters = [alice, testNara('bob'), testNara('carol'), freshNara('dave'), freshNara('erin')]
    voters.forEach((v, i) => {
      pipeline.handle(TOPICS.heyThere, heyThereOf(v, BigInt(clock.now() + i) * NS))
    })
    const asOfS = Math.floor(clock.now() / 1000) - 60
    const nowNs = () => BigInt(clock.now()) * NS
    pipeline.handle(TOPICS.checkpointFinal, finalOf(alice, asOfS, voters, nowNs()))
    // The same values again with a new ts: a duplicate while fresh, stale afterwards.
    clock.advance(60_000)
    pipeline.handle(TOPICS.checkpointFinal, finalOf(alice, asOfS, voters, nowNs()))
    clock.advance(19 * 60_000)
    pipeline.handle(TOPICS.checkpointFinal, finalOf(alice, asOfS, voters, nowNs()))
    expect(delivered.filter((e) => e.kind === 'checkpoint_final')).toHaveLength(1)
    expect(counters.snapshot().dropped).toMatchObject({ duplicate: 1, stale: 1 })
  })

  it('a dead nara replayed every 10 min counts once at most; a rebooted nara is never locked out', () => {
    const { pipeline, clock, counters, delivered } = testPipeline()
    const papers = () => delivered.filter((e) => e.kind === 'newspaper').length
    pipeline.handle(TOPICS.heyThere, heyThereOf(alice, BigInt(clock.now()) * NS))
    const last = newspaperOf('alice', alice, 86_400) // its last paper before it died
    for (let i = 0; i < 6; i++) {
      pipeline.handle('nara/newspaper/alice', last)
      clock.advance(10 * 60_000)
    }
    expect(papers()).toBe(1)
    expect(counters.snapshot().dropped.stale).toBe(5)
    // It reboots; its hey_there is lost. Its genuine papers, every 5 s, are accepted.
    for (let i = 0; i < 5; i++) {
      pipeline.handle('nara/newspaper/alice', newspaperOf('alice', alice, 3 + 5 * i))
      clock.advance(5_000)
    }
    expect(papers()).toBe(6)
  })
})
