/**
 * Pre-verification budgets (issue 10, floods): the claimed-sender byte scan, and the pools by
 * class plus per-name claimed buckets, with a manual clock.
 */
import { classifyTopic, decodeMessage, TOPICS } from '@nara/protocol'
import { messageVectors, payloadBytes } from '@nara/vitest-config/vectors'
import { describe, expect, it } from 'vitest'
import { claimedSender, decodedSender } from '../src/inbound/claimed-sender.js'
import { DEFAULT_PRE_VERIFY, type PreVerifyBudgetOptions } from '../src/inbound/sender-budgets.js'
import { testPipeline } from './helpers.js'
import { heyThereFrom, person, socialBytes } from './senders.js'

const enc = new TextEncoder()
const NS = 1_000_000n
const bytes = (s: string) => Buffer.from(enc.encode(s))
const social = (json: string) => claimedSender('social', TOPICS.social, bytes(json))

/** Small pools (no refill unless said) so the tests count tokens exactly. */
function budgets(over: Partial<Record<'standing' | 'newcomer' | 'unknown', number>> = {}) {
  const pool = (capacity: number) => ({ capacity, refillPerSecond: 0 })
  return {
    claimed: { capacity: 3, refillPerSecond: 1, maxBuckets: 64 },
    pools: {
      standing: pool(over.standing ?? 100),
      newcomer: pool(over.newcomer ?? 100),
      unknown: pool(over.unknown ?? 10),
    },
  } satisfies PreVerifyBudgetOptions
}

function setup(preVerify: PreVerifyBudgetOptions) {
  return testPipeline({ rateLimit: { capacity: 1000, refillPerSecond: 1000 }, preVerify })
}

describe('claimed-sender scan', () => {
  it('reads the top-level field with any JSON spacing', () => {
    expect(social('{"emitter":"alice"}')).toBe('alice')
    expect(social('{"emitter": "alice"}')).toBe('alice')
    expect(social(' {\n\t"id" : "x" ,\r\n "emitter"\t:\n "alice" }')).toBe('alice')
  })

  it('decodes the name as UTF-8', () => {
    expect(social('{"emitter":"zoë-ナラ"}')).toBe('zoë-ナラ')
  })

  it('skips nested objects, arrays and strings that mention the field (decoys)', () => {
    const decoys =
      '{"social":{"emitter":"mallory"},"list":["\\"emitter\\":\\"mallory\\"",{"emitter":"m"}],' +
      '"note":"\\"emitter\\":\\"mallory\\"","n":-1.5e3,"t":true,"z":null,"emitter":"alice"}'
    expect(JSON.parse(decoys).emitter).toBe('alice')
    expect(social(decoys)).toBe('alice')
    expect(social('{"social":{"emitter":"mallory"}}')).toBe('')
  })

  it("gives '' (no claim) for escapes, non-strings, long names and broken JSON", () => {
    expect(social('{"emitter":"al\\u0069ce"}')).toBe('')
    expect(social('{"emitter":"a\\"b"}')).toBe('')
    expect(social('{"emitter":42}')).toBe('')
    expect(social(`{"emitter":"${'a'.repeat(65)}"}`)).toBe('')
    expect(social('{"emitter":"alice')).toBe('')
    expect(social('["emitter","alice"]')).toBe('')
    expect(social('{"id":{"x":"}')).toBe('')
    expect(social('')).toBe('')
  })

  it('agrees with the decoder on every golden vector that decodes', () => {
    let compared = 0
    for (const v of messageVectors()) {
      const topic = v.transport.topic
      const kind = topic === null ? null : classifyTopic(topic)
      if (topic === null || kind === null) continue
      const payload = Buffer.from(payloadBytes(v))
      const decoded = decodeMessage(topic, payload)
      if (!decoded.ok) continue
      const claim = claimedSender(kind, topic, payload)
      expect(claim === '' || claim === decodedSender(kind, decoded), `${v.kind}/${v.name}`).toBe(
        true,
      )
      if (claim !== '') compared++
    }
    expect(compared).toBeGreaterThan(20)
  })

  it("reads a final's nested subject, never a top-level decoy, and the newspaper topic", () => {
    const final = bytes('{"subject":"mallory","checkpoint": {"version":2,"subject":"alice"}}')
    expect(claimedSender('checkpoint_final', TOPICS.checkpointFinal, final)).toBe('alice')
    expect(claimedSender('newspaper', 'nara/newspaper/zoë', bytes('{}'))).toBe('zoë')
  })
})

describe('pre-verification budgets', () => {
  it('junk from unknown names cannot starve a name with standing', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup(budgets())
    const alice = person('alice', 1)
    keyring.pin({ name: 'alice', publicKey: alice.publicKey }) // durable: standing
    for (let i = 0; i < 1000; i++) {
      pipeline.handle(TOPICS.social, enc.encode(`{"emitter":"junk-${i}","x":1}`))
      pipeline.handle(TOPICS.social, enc.encode('x'))
    }
    // Only the unknown pool (10 tokens) paid for decoding any of it.
    expect(counters.snapshot().dropped.overloaded).toBe(1990)
    pipeline.handle(TOPICS.social, socialBytes(alice, 'genuine', BigInt(clock.now()) * NS))
    expect(delivered.map((e) => e.sender)).toEqual(['alice'])
  })

  it('a flood from one name spends only its own bucket', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup(budgets({ newcomer: 20 }))
    const mallory = person('mallory', 2)
    const carol = person('carol', 3)
    const alice = person('alice', 1)
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    const now = BigInt(clock.now()) * NS
    // mallory and carol are newcomers (provisional pins from their hey_there).
    pipeline.handle(TOPICS.heyThere, heyThereFrom(mallory, now))
    clock.advance(1000)
    pipeline.handle(TOPICS.heyThere, heyThereFrom(carol, now))
    clock.advance(3000)
    for (let i = 0; i < 1000; i++) {
      pipeline.handle(TOPICS.social, socialBytes(mallory, `flood-${i}`, now + BigInt(i)))
    }
    const dropped = counters.snapshot().dropped
    expect(dropped['rate-limited']).toBe(997) // mallory's own bucket: 3 tokens
    expect(dropped.overloaded).toBeUndefined() // the newcomer pool was not spent by it
    pipeline.handle(TOPICS.social, socialBytes(carol, 'newcomer', now))
    pipeline.handle(TOPICS.social, socialBytes(alice, 'standing', now))
    expect(delivered.map((e) => e.sender).slice(-2)).toEqual(['carol', 'alice'])
  })

  it('residual: junk claiming alice spends her claimed bucket only, which refills', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup(budgets())
    const alice = person('alice', 1)
    const bob = person('bobby', 4)
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    keyring.pin({ name: 'bobby', publicKey: bob.publicKey })
    for (let i = 0; i < 100; i++) pipeline.handle(TOPICS.social, enc.encode('{"emitter":"alice"}'))
    expect(counters.snapshot().dropped['rate-limited']).toBe(97)
    const now = BigInt(clock.now()) * NS
    pipeline.handle(TOPICS.social, socialBytes(alice, 'blocked', now))
    pipeline.handle(TOPICS.social, socialBytes(bob, 'unaffected', now))
    clock.advance(1000) // one token back
    pipeline.handle(TOPICS.social, socialBytes(alice, 'later', now + 1n))
    expect(delivered.map((e) => e.sender)).toEqual(['bobby', 'alice'])
  })

  it('a duplicate sender field is dropped before any verification (the scan reads the first)', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup(DEFAULT_PRE_VERIFY)
    const mallory = person('mallory', 2)
    keyring.pin({ name: 'mallory', publicKey: mallory.publicKey })
    const genuine = Buffer.from(socialBytes(mallory, 'dup', BigInt(clock.now()) * NS)).toString()
    // Paid from alice's budgets; a lax JSON parser would keep the last field: mallory's.
    pipeline.handle(TOPICS.social, enc.encode(`{"emitter":"alice",${genuine.slice(1)}`))
    expect(delivered).toHaveLength(0)
    expect(counters.snapshot().dropped).toEqual({ 'bad-json': 1 })
    expect(counters.snapshot().verifications).toBe(0)
  })
})
