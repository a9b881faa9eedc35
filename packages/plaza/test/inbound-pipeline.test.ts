/**
 * The inbound pipeline as a unit: admission before parsing, own messages, keyring tiers. The
 * checks of signed messages (drops and security regressions) run against every configuration
 * and broker in `compliance/`.
 */
import { TOPICS } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import type { InboundPipelineOptions } from '../src/inbound-pipeline.js'
import { createKeyring } from '../src/index.js'
import { enc, identity, NS, socialBytes } from './compliance/wire-fixtures.js'
import { testPipeline } from './helpers.js'

function setup(overrides: Partial<InboundPipelineOptions> = {}) {
  return testPipeline({
    rateLimit: { capacity: 5, refillPerSecond: 1 },
    acceptUnsigned: new Set(['ledger_request', 'ledger_response', 'journey_complete']),
    ...overrides,
  })
}

describe('inbound pipeline', () => {
  it('drops wrong topics, the dead stash_refresh topic and oversized payloads before parsing', () => {
    const { pipeline, counters } = setup({ maxPayloadBytes: 100 })
    pipeline.handle('nara/other', enc.encode('{}'))
    pipeline.handle(TOPICS.stashRefresh, enc.encode('{}'))
    pipeline.handle(TOPICS.social, new Uint8Array(101))
    pipeline.handle(TOPICS.social, enc.encode('{not json'))
    expect(counters.snapshot().dropped).toEqual({
      'wrong-topic': 1,
      'dead-topic': 1,
      'too-large': 1,
      'bad-json': 1,
    })
  })

  it('counts own messages as own, not as accepted', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup({ me: 'alice' })
    const alice = identity('alice')
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    pipeline.handle(TOPICS.social, socialBytes(alice, 'random', BigInt(clock.now()) * NS))
    expect(delivered).toHaveLength(0)
    expect(counters.snapshot().own).toBe(1)
  })

  describe('keyring tiers', () => {
    it('evicts the oldest provisional pins when full, never durable ones, and promotes on a later verified message', () => {
      const ring = createKeyring({ maxPins: 3, promoteAfterMs: 60_000 })
      const key = (i: number) =>
        identity(i === 0 ? 'alice' : i === 1 ? 'bob' : i === 2 ? 'carol' : 'mallory').publicKey
      expect(ring.pin({ name: 'op', publicKey: key(0) }).status).toBe('pinned') // durable (operator)
      expect(
        ring.pin({ name: 'p1', publicKey: key(1) }, { provisional: true, nowMs: 0 }).status,
      ).toBe('pinned')
      expect(
        ring.pin({ name: 'p2', publicKey: key(2) }, { provisional: true, nowMs: 1 }).status,
      ).toBe('pinned')
      ring.confirm('p2', 30_000) // too early
      expect(ring.isDurable('p2')).toBe(false)
      ring.confirm('p2', 60_001)
      expect(ring.isDurable('p2')).toBe(true)
      // Full: the newcomer evicts the oldest PROVISIONAL pin (p1), never op or p2.
      expect(
        ring.pin({ name: 'p3', publicKey: key(3) }, { provisional: true, nowMs: 2 }).status,
      ).toBe('pinned')
      expect(ring.lookup('p1')).toBeUndefined()
      expect(ring.lookup('op')).toBeDefined()
      expect(ring.lookup('p2')).toBeDefined()
      // Only durable pins are persisted.
      expect(Object.keys(ring.toJSON())).toEqual(['op', 'p2'])
      // All durable: full.
      ring.confirm('p3', 100_000)
      expect(
        ring.pin({ name: 'p4', publicKey: key(1) }, { provisional: true, nowMs: 3 }).status,
      ).toBe('full')
    })
  })
})
