/**
 * Bounded memories (issue 10, memory): replay memories bounded per sender and in total, and the
 * keyring's eviction order (never-confirmed provisional pins first; confirmed and durable never).
 */
import { signNewspaperStatus } from '@nara/crypto/wire'
import { encodeNaraStatus, encodeNewspaperBytes, TOPICS } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import { ExpiringSet } from '../src/expiring-set.js'
import { DEFAULT_PRE_VERIFY } from '../src/inbound/sender-budgets.js'
import { createKeyring } from '../src/index.js'
import { testPipeline } from './helpers.js'
import { chauFrom, heyThereFrom, person, socialBytes, zeroStatus } from './senders.js'

const NS = 1_000_000n
const enc = new TextEncoder()

/** A valid (not weak) public key numbered `i`. */
function sybilKey(i: number): Uint8Array {
  const key = new Uint8Array(32).fill(7)
  new DataView(key.buffer).setUint32(0, i)
  return key
}

describe('replay memory shares', () => {
  it('a sender holds at most its share; a full memory makes room at the biggest holder, never the adder', () => {
    const s = new ExpiringSet(10, 1000, 4)
    const mallory = { owner: 'mallory' }
    const added = Array.from({ length: 6 }, (_, i) => s.add(`m${i}`, 0, mallory))
    expect(added).toEqual(['added', 'added', 'added', 'added', 'full', 'full'])
    for (let i = 0; i < 6; i++) s.add(`s${i}`, 1, { owner: `sybil-${i}` })
    expect(s.size(1)).toBe(10)
    // alice (standing) adds: mallory, the biggest holder without standing, forgets its oldest.
    expect(s.add('a0', 2, { owner: 'alice', standing: true })).toBe('added')
    expect([s.has('m0', 2), s.has('m1', 2), s.sizeOf('mallory', 2)]).toEqual([false, true, 3])
    // A sybil (1 key) adding its second: mallory (3) still holds more, so mallory pays again.
    expect(s.add('s0b', 3, { owner: 'sybil-0' })).toBe('added')
    expect(s.sizeOf('mallory', 3)).toBe(2)
    // Nobody holds more than mallory (2) but sybil-0 (2): they take turns; alice is never asked
    // while an owner without standing holds as much as the adder.
    for (let i = 0; i < 20; i++) s.add(`x${i}`, 4, { owner: 'sybil-0' })
    expect(s.has('a0', 4)).toBe(true)
    expect(s.size(4)).toBe(10)
    // Without an owner (or as the only, biggest, holder) an add fails closed.
    expect(s.add('anonymous', 4)).toBe('full')
    const alone = new ExpiringSet(3, 1000)
    for (let i = 0; i < 3; i++) alone.add(`k${i}`, 0, mallory)
    expect(alone.add('k3', 0, mallory)).toBe('full')
    expect(alone.has('k0', 0)).toBe(true)
    // Expiry frees the shares.
    expect([s.size(1004), s.owners(1004)]).toEqual([0, 0])
  })

  it('a rate-limited key cannot fill the replay memory (then another nara’s chau is delivered)', () => {
    // Only the authenticated bucket (50 / 10 per s) limits mallory here: the budgets before
    // verification are wide open, and the memory has no per-sender share. Were the bucket charged
    // after the replay memory, 3,500 verified messages would fill its 2,000 entries.
    const open = { capacity: 1e6, refillPerSecond: 1e6 }
    const { pipeline, counters, clock, delivered } = testPipeline({
      rateLimit: { capacity: 50, refillPerSecond: 10 },
      preVerify: { claimed: open, pools: { standing: open, newcomer: open, unknown: open } },
      dedupeSize: 2000,
      dedupeSizePerSender: 2000,
    })
    const mallory = person('mallory', 2)
    const alice = person('alice', 1)
    const start = BigInt(clock.now()) * NS
    pipeline.handle(TOPICS.heyThere, heyThereFrom(alice, start))
    pipeline.handle(TOPICS.heyThere, heyThereFrom(mallory, start))
    // 50 msg/s for 70 s, five times mallory's rate limit, every one validly signed.
    for (let i = 0; i < 3500; i++) {
      pipeline.handle(TOPICS.social, socialBytes(mallory, `f${i}`, BigInt(clock.now()) * NS))
      clock.advance(20)
    }
    const { dropped, accepted } = counters.snapshot()
    expect(dropped.overloaded).toBeUndefined()
    expect(accepted.social ?? 0).toBeLessThanOrEqual(50 + 10 * 70)
    pipeline.handle(TOPICS.chau, chauFrom(alice, BigInt(clock.now()) * NS))
    expect(delivered.at(-1)?.kind).toBe('chau')
    expect(delivered.at(-1)?.sender).toBe('alice')
  })

  it('a flood without rate limits fills only its own share: another nara’s chau is delivered', () => {
    const { pipeline, counters, clock, delivered } = testPipeline({
      rateLimit: false,
      dedupeSize: 20,
      dedupeSizePerSender: 8,
    })
    const mallory = person('mallory', 2)
    const alice = person('alice', 1)
    const now = BigInt(clock.now()) * NS
    pipeline.handle(TOPICS.heyThere, heyThereFrom(alice, now))
    for (let i = 0; i < 30; i++) pipeline.handle(TOPICS.social, socialBytes(mallory, `f${i}`, now))
    // mallory's hey_there-less socials are unknown senders: pin it first, then flood again.
    pipeline.handle(TOPICS.heyThere, heyThereFrom(mallory, now))
    for (let i = 0; i < 30; i++) pipeline.handle(TOPICS.social, socialBytes(mallory, `g${i}`, now))
    expect(delivered.filter((e) => e.sender === 'mallory')).toHaveLength(8) // 1 hey_there + 7
    expect(counters.snapshot().dropped.overloaded).toBe(23)
    pipeline.handle(TOPICS.chau, chauFrom(alice, now))
    expect(delivered.at(-1)?.sender).toBe('alice')
  })
})

describe('a town receiver under junk', () => {
  it('16,384 junk-signed 60 KB newspapers: the unknown pool bounds the work, every memory stays empty', () => {
    const { pipeline, counters, keyring, clock, delivered } = testPipeline({
      rateLimit: { capacity: 50, refillPerSecond: 10 },
      preVerify: DEFAULT_PRE_VERIFY,
    })
    const junk = person('junk', 5)
    const b64 = Buffer.from(junk.publicKey).toString('base64')
    const seen = { online: 'ONLINE', last_seen: 1768774450, start_time: 1700000000 }
    const observations = Object.fromEntries(
      Array.from({ length: 780 }, (_, i) => [`neighbour-${i}`, seen]),
    )
    const status = enc.encode(
      encodeNaraStatus({ ...zeroStatus(b64, junk.id), Observations: observations } as never),
    )
    const signature = Buffer.from(signNewspaperStatus(status, junk.seed), 'base64')
    signature[0] = (signature[0] as number) ^ 1 // junk-signed: the right shape, a wrong signature
    const paper = (name: string) => encodeNewspaperBytes(name, status, signature.toString('base64'))
    expect(paper('junk-0').byteLength).toBeGreaterThan(60_000)
    expect(paper('junk-0').byteLength).toBeLessThan(64 * 1024)
    // A burst of 16,384 in 1 s: unknown names, so only the unknown pool (400, then 200/s) pays
    // for decoding and verifying; nothing any of them did may stay behind.
    for (let i = 0; i < 16_384; i++) {
      pipeline.handle(`nara/newspaper/junk-${i}`, paper(`junk-${i}`))
      if (i % 16 === 15) clock.advance(1)
    }
    const dropped = counters.snapshot().dropped
    expect((dropped['bad-signature'] ?? 0) + (dropped.overloaded ?? 0)).toBe(16_384)
    expect(dropped['bad-signature']).toBeGreaterThanOrEqual(400)
    expect(dropped['bad-signature']).toBeLessThanOrEqual(400 + 205)
    expect(delivered).toHaveLength(0)
    expect(pipeline.memory()).toEqual({
      replay: { ids: 0, finals: 0, howdys: 0, heyThere: 0, papers: 0, newspaperClock: 0 },
      claimedBuckets: 0,
      senderBuckets: 0,
    })
    expect([keyring.size, keyring.weakSize]).toEqual([0, 0])
  }, 180_000) // 1 GB of payloads go through the scan: minutes on a loaded machine
})

describe('keyring eviction', () => {
  it('never-confirmed provisional pins are evicted first; confirmed ones kept; full when none is left', () => {
    const ring = createKeyring({ maxPins: 3 })
    ring.pin({ name: 'old', publicKey: sybilKey(1) }, { provisional: true, nowMs: 0 })
    ring.pin({ name: 'heard-twice', publicKey: sybilKey(2) }, { provisional: true, nowMs: 1 })
    ring.confirm('heard-twice', 2)
    ring.pin({ name: 'once', publicKey: sybilKey(3) }, { provisional: true, nowMs: 3 })
    expect(ring.pin({ name: 'new', publicKey: sybilKey(4) }, { provisional: true }).status).toBe(
      'pinned',
    )
    expect([ring.lookup('old'), ring.lookup('heard-twice'), ring.isDurable('heard-twice')]).toEqual(
      [undefined, Buffer.from(sybilKey(2)).toString('base64'), false],
    )
    ring.confirm('once', 4)
    ring.confirm('new', 4)
    expect(ring.pin({ name: 'refused', publicKey: sybilKey(5) }, { provisional: true })).toEqual({
      status: 'full',
    })
    expect(ring.size).toBe(3)
  })

  it("99,999 sybil names do not evict alice's confirmed pin", () => {
    const { pipeline, counters, keyring, clock, delivered } = testPipeline()
    const alice = person('alice', 1)
    const impostor = person('alice', 99)
    const now = () => BigInt(clock.now()) * NS
    pipeline.handle(TOPICS.heyThere, heyThereFrom(alice, now())) // provisional pin
    clock.advance(1000)
    pipeline.handle(TOPICS.social, socialBytes(alice, 'again', now())) // confirmed
    expect(keyring.isDurable('alice')).toBe(false)
    for (let i = 0; i < 99_999; i++) {
      keyring.pin({ name: `sybil-${i}`, publicKey: sybilKey(i + 10) }, { provisional: true })
    }
    expect(keyring.size).toBe(100_000)
    expect(keyring.lookup('sybil-0')).toBeUndefined() // the oldest one-message names went first
    pipeline.handle(TOPICS.heyThere, heyThereFrom(impostor, now()))
    expect(counters.snapshot().dropped['key-conflict']).toBe(1)
    expect(keyring.lookup('alice')).toBe(Buffer.from(alice.publicKey).toString('base64'))
    clock.advance(1000)
    pipeline.handle(TOPICS.social, socialBytes(alice, 'still me', now()))
    expect(delivered.map((e) => e.sender)).toEqual(['alice', 'alice', 'alice'])
  })
})
