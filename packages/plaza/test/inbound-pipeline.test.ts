import {
  buildHeyThere,
  buildSocial,
  computeNaraId,
  encodeSoul,
  generateSoul,
  keypairFromSoul,
  parseSoul,
} from '@nara/crypto'
import {
  checkpointVoterAttestation,
  computeEventId,
  signAttestation,
  signHowdy,
  signNewspaperStatus,
  signSyncEvent,
} from '@nara/crypto/wire'
import {
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type HowdyEvent,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import type { InboundPipelineOptions } from '../src/inbound-pipeline.js'
import { createKeyring, type KeyConflictEvent } from '../src/index.js'
import { createVerifyPool, type VerifyPool } from '../src/verify-pool.js'
import { SOULS, testPipeline } from './helpers.js'

const enc = new TextEncoder()
const NS = 1_000_000n

function identity(name: keyof typeof SOULS) {
  const soul = parseSoul(SOULS[name])
  const kp = keypairFromSoul(soul)
  return {
    name,
    seed: kp.seed,
    publicKey: kp.publicKey,
    b64: Buffer.from(kp.publicKey).toString('base64'),
    id: computeNaraId(soul, name),
  }
}

function setup(overrides: Partial<InboundPipelineOptions> = {}) {
  return testPipeline({
    rateLimit: { capacity: 5, refillPerSecond: 1 },
    acceptUnsigned: new Set(['ledger_request', 'ledger_response', 'journey_complete']),
    ...overrides,
  })
}

const socialBytes = (who: ReturnType<typeof identity>, reason: string, tsNs: bigint) =>
  enc.encode(
    encodeSyncEvent(
      buildSocial(
        { type: 'tease', actor: who.name, target: 'bob', reason, tsNs },
        who,
      ) as SyncEvent,
    ),
  )

const zeroStatus = (pk: string, id: string, uptime = 1) => ({
  LicensePlate: '',
  Flair: '',
  HostStats: {
    Uptime: uptime,
    LoadAvg: 0,
    MemAllocMB: 0,
    MemSysMB: 0,
    MemHeapMB: 0,
    MemStackMB: 0,
    NumGoroutines: 0,
    NumGC: 0,
    ProcCPUPercent: 0,
  },
  Chattiness: 0,
  Buzz: 0,
  Observations: null,
  Trend: '',
  TrendEmoji: '',
  Personality: { Agreeableness: 0, Sociability: 0, Chill: 0 },
  Aura: { primary: '', secondary: '' },
  Version: '',
  PublicUrl: '',
  PublicKey: pk,
  ID: id,
  MeshEnabled: false,
  MeshIP: '',
})

const howdyBytes = (who: ReturnType<typeof identity>, to: string, seq: number, meId = who.id) =>
  enc.encode(
    encodeHowdy({
      From: who.name,
      To: to,
      Seq: seq,
      You: {},
      Neighbors: null,
      Me: { ...zeroStatus(who.b64, meId), Observations: {} },
      Signature: signHowdy(who.name, to, seq, who.seed),
    } as unknown as HowdyEvent),
  )

const heyThereBytes = (who: ReturnType<typeof identity>, tsNs: bigint, naraId = who.id) =>
  enc.encode(
    encodeSyncEvent(
      buildHeyThere({ name: who.name, publicKey: who.publicKey, naraId, tsNs }, who) as SyncEvent,
    ),
  )

const newspaperBytes = (topicName: string, who: ReturnType<typeof identity>, uptime = 1) => {
  const status = enc.encode(encodeNaraStatus(zeroStatus(who.b64, who.id, uptime) as never))
  return encodeNewspaperBytes(topicName, status, signNewspaperStatus(status, who.seed))
}

describe('inbound pipeline', () => {
  const pools: VerifyPool[] = []
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.stop()))
  })

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

  it('rate-limits per claimed sender: a flood from one name does not starve another', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup()
    const alice = identity('alice')
    const carol = identity('carol')
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    keyring.pin({ name: 'carol', publicKey: carol.publicKey })
    const now = BigInt(clock.now()) * NS
    for (let i = 0; i < 20; i++)
      pipeline.handle(TOPICS.social, socialBytes(alice, `r${i}`, now + BigInt(i)))
    pipeline.handle(TOPICS.social, socialBytes(carol, 'random', now))
    expect(counters.snapshot().dropped['rate-limited']).toBe(15)
    expect(delivered.filter((e) => e.sender === 'alice')).toHaveLength(5)
    expect(delivered.filter((e) => e.sender === 'carol')).toHaveLength(1)
    clock.advance(1000) // one token back for alice
    pipeline.handle(TOPICS.social, socialBytes(alice, 'later', now + 100n))
    expect(delivered.filter((e) => e.sender === 'alice')).toHaveLength(6)
  })

  it('remembers a howdy From/To/Seq for the howdy window only: Seq 1 of the next round after a new hey_there is fresh', () => {
    // Go restarts Seq at 1 in every howdy round (a round follows each hey_there of To), so the
    // replay memory must not outlive the round. (This test used to pin the opposite.)
    const { pipeline, counters, delivered, clock } = setup()
    const alice = identity('alice')
    const bob = identity('bob')
    const bobHello = (tsNs: bigint) =>
      enc.encode(
        encodeSyncEvent(
          buildHeyThere(
            { name: 'bob', publicKey: bob.publicKey, naraId: bob.id, tsNs },
            bob,
          ) as SyncEvent,
        ),
      )
    pipeline.handle(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
    expect(counters.snapshot().dropped.stale).toBe(1) // no hey_there from bob yet
    pipeline.handle(TOPICS.heyThere, bobHello(BigInt(clock.now()) * NS))
    pipeline.handle(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
    pipeline.handle(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
    pipeline.handle(TOPICS.howdy, howdyBytes(alice, 'bob', 2))
    for (const junk of ['null', '[]', '{"From":1}', '\u0000', '{"Me":{}}']) {
      pipeline.handle(TOPICS.howdy, enc.encode(junk))
    }
    expect(delivered.map((e) => (e.message as HowdyEvent).Seq)).toEqual([1, 2])
    expect(counters.snapshot().dropped.stale).toBe(2)
    // 31 s later the round is over: alice's old howdy replayed is stale (no fresh hey_there)...
    clock.advance(31_000)
    pipeline.handle(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
    expect(counters.snapshot().dropped.stale).toBe(3)
    // ...and after bob reconnects, alice's genuine Seq 1 of the new round is delivered.
    pipeline.handle(TOPICS.heyThere, bobHello(BigInt(clock.now()) * NS))
    pipeline.handle(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
    expect(delivered.map((e) => (e.message as HowdyEvent).Seq)).toEqual([1, 2, 1])
  })

  it('fails closed when a replay memory is full of unexpired entries (never evicts one)', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup({
      dedupeSize: 3,
      rateLimit: false,
    })
    const alice = identity('alice')
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    const now = BigInt(clock.now()) * NS
    const first = socialBytes(alice, 'r0', now)
    pipeline.handle(TOPICS.social, first)
    for (let i = 1; i < 5; i++)
      pipeline.handle(TOPICS.social, socialBytes(alice, `r${i}`, now + BigInt(i)))
    expect(delivered).toHaveLength(3)
    expect(counters.snapshot().dropped.overloaded).toBe(2)
    pipeline.handle(TOPICS.social, first) // still remembered: no replay
    expect(counters.snapshot().dropped.duplicate).toBe(1)
  })

  it('counts each checkpoint voter once (a valid signature listed five times is not five voters)', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup()
    const voters = Array.from({ length: 5 }, (_, i) => {
      const { soul } = generateSoul(`voter-${i}`)
      const kp = keypairFromSoul(soul)
      const id = computeNaraId(soul, `voter-${i}`)
      keyring.pin({ naraId: id, publicKey: kp.publicKey })
      return { id, seed: kp.seed, soul: encodeSoul(soul) }
    })
    const alice = identity('alice')
    const base = {
      version: 2,
      subject: 'alice',
      subject_id: alice.id,
      observation: { restarts: 100, total_uptime: 50000, start_time: 1624066568 },
      as_of_time: 1768774453,
      round: 1,
    }
    const final = (list: typeof voters, tsOffset: bigint) => {
      const signatures = list.map((v) =>
        signAttestation(checkpointVoterAttestation(base, v.id), v.seed),
      )
      const ev = {
        id: '',
        ts: BigInt(clock.now()) * NS + tsOffset,
        svc: 'checkpoint',
        checkpoint: { ...base, voter_ids: list.map((v) => v.id), signatures },
      }
      ev.id = computeEventId(ev as never)
      return enc.encode(encodeSyncEvent(ev as unknown as SyncEvent))
    }
    const v0 = voters[0] as (typeof voters)[number]
    pipeline.handle(TOPICS.checkpointFinal, final([v0, v0, v0, v0, v0], 1n))
    expect(counters.snapshot().dropped['duplicate-voter']).toBe(1)
    pipeline.handle(TOPICS.checkpointFinal, final(voters, 2n))
    expect(delivered).toHaveLength(1)
    expect(delivered[0]?.voters).toHaveLength(5)
    expect(delivered[0]?.sender).toBe('alice')
  })

  it('delivers unauthenticated kinds flagged, or drops them as unsigned when not accepted', () => {
    const a = setup()
    a.pipeline.handle(
      'nara/ledger/bob/request',
      enc.encode('{"From":"alice","Subjects":["alice"]}'),
    )
    expect(a.delivered[0]).toMatchObject({
      kind: 'ledger_request',
      sender: 'alice',
      authenticated: false,
    })
    const b = setup({ acceptUnsigned: new Set() })
    b.pipeline.handle(
      'nara/ledger/bob/request',
      enc.encode('{"From":"alice","Subjects":["alice"]}'),
    )
    expect(b.counters.snapshot().dropped.unsigned).toBe(1)
  })

  it('counts own messages as own, not as accepted', () => {
    const { pipeline, counters, keyring, clock, delivered } = setup({ me: 'alice' })
    const alice = identity('alice')
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    pipeline.handle(TOPICS.social, socialBytes(alice, 'random', BigInt(clock.now()) * NS))
    expect(delivered).toHaveLength(0)
    expect(counters.snapshot().own).toBe(1)
  })

  it('verifies off the main thread with the worker pool, same verdicts', async () => {
    const pool = createVerifyPool({ workers: 1 })
    pools.push(pool)
    await pool.start()
    const { pipeline, counters, keyring, clock, delivered } = setup({ pool, rateLimit: false })
    const alice = identity('alice')
    const mallory = identity('mallory')
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    const now = BigInt(clock.now()) * NS
    for (let i = 0; i < 50; i++)
      pipeline.handle(TOPICS.social, socialBytes(alice, `r${i}`, now + BigInt(i)))
    const forged = buildSocial(
      { type: 'tease', actor: 'alice', target: 'bob', reason: 'x', tsNs: now },
      {
        name: 'alice',
        seed: mallory.seed,
      },
    )
    pipeline.handle(TOPICS.social, enc.encode(encodeSyncEvent(forged as SyncEvent)))
    await new Promise<void>((resolve) => {
      const poll = () => (pool.pending === 0 ? resolve() : setImmediate(poll))
      poll()
    })
    expect(delivered).toHaveLength(50)
    expect(counters.snapshot().dropped['bad-signature']).toBe(1)
    expect(counters.snapshot().verifications).toBe(51)
  })

  describe('security regressions', () => {
    const conflicts = () => {
      const list: KeyConflictEvent[] = []
      return { list, onKeyConflict: (c: KeyConflictEvent) => list.push(c) }
    }

    it("one key, one name: alice's genuine newspaper replayed on mallory's topic is never accepted as mallory", () => {
      const c = conflicts()
      const { pipeline, counters, keyring, clock, delivered } = setup({
        onKeyConflict: c.onKeyConflict,
      })
      const alice = identity('alice')
      const mallory = identity('mallory')
      const now = BigInt(clock.now()) * NS
      pipeline.handle(TOPICS.heyThere, heyThereBytes(alice, now))
      // Alice's genuine newspaper, replayed on mallory's topic (envelope From rewritten): her key
      // already speaks for alice, so mallory gets neither a pin nor a topic-only pin.
      pipeline.handle('nara/newspaper/mallory', newspaperBytes('mallory', alice))
      expect(counters.snapshot().dropped['key-conflict']).toBe(1)
      expect(c.list.at(-1)).toMatchObject({
        kind: 'newspaper',
        label: 'publicKey',
        name: 'mallory',
        pinnedKey: alice.b64,
      })
      expect(keyring.lookup('mallory')).toBeUndefined()
      expect(keyring.weakByName('mallory')).toBeUndefined()
      expect(keyring.nameForId(alice.id)).toBe('alice')
      // Alice's own newspaper: her name is proven by her signed hey_there.
      pipeline.handle('nara/newspaper/alice', newspaperBytes('alice', alice))
      expect(delivered.map((e) => [e.kind, e.sender, e.senderId, e.nameProof])).toEqual([
        ['hey_there', 'alice', alice.id, 'signature'],
        ['newspaper', 'alice', alice.id, 'signature'],
      ])
      // With mallory pinned, alice's status on mallory's topic is a key conflict on the name.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(mallory, now + 1n))
      pipeline.handle('nara/newspaper/mallory', newspaperBytes('mallory', alice, 2))
      expect(counters.snapshot().dropped['key-conflict']).toBe(2)
      expect(c.list.at(-1)).toMatchObject({ kind: 'newspaper', label: 'name', name: 'mallory' })
      expect(delivered.filter((e) => e.kind === 'newspaper')).toHaveLength(1)
      expect(counters.snapshot().dropped['unknown-sender']).toBeUndefined()
    })

    it('newspaper trust on first use at a weaker tier: an unknown nara is learned from its newspaper, name flagged topic-only', () => {
      const c = conflicts()
      const { pipeline, counters, keyring, clock, delivered } = setup({
        onKeyConflict: c.onKeyConflict,
      })
      const carol = identity('carol')
      const mallory = identity('mallory')
      const pinsBefore = keyring.size
      // carol joined before us and never says hey_there again: her newspaper is all we hear.
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', carol))
      expect(delivered.map((e) => [e.kind, e.sender, e.senderId, e.nameProof])).toEqual([
        ['newspaper', 'carol', undefined, 'topic'],
      ])
      expect(delivered[0]?.authenticated).toBe(true)
      // A weak pin: invisible to lookups and verification, never persisted, binds no NaraID.
      expect(keyring.weakByName('carol')).toEqual(carol.publicKey)
      expect(keyring.byName('carol')).toBeUndefined()
      expect(keyring.lookup('carol')).toBeUndefined()
      expect(keyring.byId(carol.id)).toBeUndefined()
      expect(keyring.toJSON()).toEqual({})
      expect(keyring.size).toBe(pinsBefore)
      expect(keyring.weakSize).toBe(1)
      // Her next newspaper, same key: accepted at the same tier.
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', carol, 2))
      expect(delivered.at(-1)).toMatchObject({ sender: 'carol', nameProof: 'topic' })
      // Topic-only claims that disagree: the first one wins.
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', mallory, 3))
      pipeline.handle('nara/newspaper/carol-2', newspaperBytes('carol-2', carol, 4))
      expect(counters.snapshot().dropped['key-conflict']).toBe(2)
      expect(c.list.map((e) => [e.label, e.name, e.weakPin])).toEqual([
        ['name', 'carol', undefined],
        ['publicKey', 'carol-2', undefined],
      ])
      expect(keyring.weakByName('carol-2')).toBeUndefined()
      // Her signed hey_there (same name, same key) upgrades the weak pin to a normal one.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(carol, BigInt(clock.now()) * NS))
      expect(keyring.lookup('carol')).toBe(carol.b64)
      expect(keyring.weakByName('carol')).toBeUndefined()
      expect(keyring.nameForId(carol.id)).toBe('carol')
      expect(counters.snapshot().weakPinsSuperseded).toBe(0)
      expect(c.list).toHaveLength(2)
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', carol, 5))
      expect(delivered.at(-1)).toMatchObject({
        kind: 'newspaper',
        sender: 'carol',
        senderId: carol.id,
        nameProof: 'signature',
      })
    })

    it('a weak pin never blocks a signed claim: hey_there for the name or the key supersedes it (key-conflict event)', () => {
      const c = conflicts()
      const { pipeline, counters, keyring, clock, delivered } = setup({
        onKeyConflict: c.onKeyConflict,
      })
      const carol = identity('carol')
      const alice = identity('alice')
      const mallory = identity('mallory')
      const now = BigInt(clock.now()) * NS
      // A replayer is first on carol's topic (mallory's own status, mallory's key)...
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', mallory))
      expect(keyring.weakByName('carol')).toEqual(mallory.publicKey)
      // ...so carol's genuine newspapers are ignored until her next signed claim (residual risk).
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', carol))
      expect(counters.snapshot().dropped['key-conflict']).toBe(1)
      // Carol's signed hey_there with her key replaces mallory's weak pin.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(carol, now))
      expect(delivered.at(-1)).toMatchObject({ kind: 'hey_there', sender: 'carol' })
      expect(keyring.lookup('carol')).toBe(carol.b64)
      expect(keyring.weakByName('carol')).toBeUndefined()
      expect(c.list.at(-1)).toEqual({
        kind: 'hey_there',
        topic: TOPICS.heyThere,
        label: 'name',
        name: 'carol',
        naraId: undefined,
        pinnedKey: mallory.b64,
        offeredKey: carol.b64,
        weakPin: { name: 'carol', publicKey: mallory.b64 },
      })
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', carol, 2))
      expect(delivered.at(-1)).toMatchObject({ kind: 'newspaper', nameProof: 'signature' })
      // A key weakly pinned to another name: alice's key on "dave"'s topic, then alice's
      // signed hey_there as alice. The signed claim wins; dave's weak pin is gone.
      pipeline.handle('nara/newspaper/dave', newspaperBytes('dave', alice))
      expect(keyring.weakByName('dave')).toEqual(alice.publicKey)
      pipeline.handle(TOPICS.heyThere, heyThereBytes(alice, now + 1n))
      expect(keyring.lookup('alice')).toBe(alice.b64)
      expect(keyring.weakByName('dave')).toBeUndefined()
      expect(c.list.at(-1)).toMatchObject({
        kind: 'hey_there',
        label: 'publicKey',
        name: 'alice',
        weakPin: { name: 'dave', publicKey: alice.b64 },
      })
      expect(counters.snapshot().weakPinsSuperseded).toBe(2)
      expect(counters.snapshot().dropped['key-conflict']).toBe(1) // superseding drops nothing
      // dave's topic now carries a key that speaks for alice: refused.
      pipeline.handle('nara/newspaper/dave', newspaperBytes('dave', alice, 3))
      expect(counters.snapshot().dropped['key-conflict']).toBe(2)
    })

    it('a signed social upgrades a topic-only pin; a social under an unpinned name is refused even when its ID is bound', () => {
      const { pipeline, counters, keyring, clock, delivered } = setup()
      const carol = identity('carol')
      const mallory = identity('mallory')
      const now = BigInt(clock.now()) * NS
      pipeline.handle('nara/newspaper/carol', newspaperBytes('carol', carol))
      pipeline.handle(TOPICS.social, socialBytes(carol, 'random', now))
      expect(delivered.at(-1)).toMatchObject({
        kind: 'social',
        sender: 'carol',
        nameProof: 'signature',
      })
      expect(keyring.lookup('carol')).toBe(carol.b64)
      expect(keyring.weakByName('carol')).toBeUndefined()
      // mallory's key holds mallory's ID; a social by that key as "erin" (emitter_id = mallory's
      // ID) finds a key through the ID only: it does not speak for erin.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(mallory, now + 1n))
      const forged = signSyncEvent(
        {
          id: '',
          ts: now + 2n,
          svc: 'social',
          emitter_id: mallory.id,
          social: { type: 'tease', actor: 'erin', target: 'bob', reason: 'x' },
        },
        { name: 'erin', seed: mallory.seed },
      )
      pipeline.handle(TOPICS.social, enc.encode(encodeSyncEvent(forged as SyncEvent)))
      expect(delivered.filter((e) => e.sender === 'erin')).toHaveLength(0)
      expect(counters.snapshot().dropped['unknown-sender']).toBe(1)
    })

    it("one key speaks for one name: alice's key cannot be pinned to a second name", () => {
      const { pipeline, counters, keyring, clock } = setup()
      const alice = identity('alice')
      const now = BigInt(clock.now()) * NS
      pipeline.handle(TOPICS.heyThere, heyThereBytes(alice, now))
      // alice's key signs a hey_there as "alias" (a first use of that name, with a known key).
      const alias = { ...alice, name: 'alias' as const }
      pipeline.handle(
        TOPICS.heyThere,
        heyThereBytes(alias as unknown as ReturnType<typeof identity>, now + 1n, ''),
      )
      expect(counters.snapshot().dropped['key-conflict']).toBe(1)
      expect(keyring.lookup('alias')).toBeUndefined()
    })

    it('a squatted NaraID becomes disputed: alice is still delivered, the ID verifies nothing', () => {
      const c = conflicts()
      const { pipeline, counters, keyring, clock, delivered } = setup({
        onKeyConflict: c.onKeyConflict,
      })
      const alice = identity('alice')
      const mallory = identity('mallory')
      const now = BigInt(clock.now()) * NS
      // mallory claims alice's ID first (the hey_there ID is not signed).
      pipeline.handle(TOPICS.heyThere, heyThereBytes(mallory, now, alice.id))
      expect(keyring.nameForId(alice.id)).toBe('mallory')
      // A name shaped like a NaraID is refused outright.
      pipeline.handle(
        TOPICS.heyThere,
        heyThereBytes(
          { ...mallory, name: alice.id } as unknown as ReturnType<typeof identity>,
          now + 1n,
          '',
        ),
      )
      expect(keyring.lookup(alice.id)).toBe(mallory.b64) // not re-pinned as a name
      // alice's genuine hey_there is delivered, with the disputed ID untrusted.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(alice, now + 2n))
      const aliceEvent = delivered.find((e) => e.sender === 'alice')
      expect(aliceEvent).toMatchObject({
        kind: 'hey_there',
        authenticated: true,
        senderId: undefined,
      })
      expect(keyring.byId(alice.id)).toBeUndefined()
      expect(keyring.lookup(alice.id)).toBeUndefined()
      expect(keyring.byName('alice')).toEqual(alice.publicKey)
      expect(counters.snapshot().idConflicts).toBe(1)
      expect(c.list).toEqual([
        expect.objectContaining({
          label: 'naraId',
          name: 'alice',
          naraId: alice.id,
          pinnedKey: mallory.b64,
        }),
      ])
      // A vote "by alice's ID" signed by mallory finds no key: the ID cannot verify anything.
      const vote = {
        version: 2,
        subject: 'carol',
        subject_id: identity('carol').id,
        observation: { restarts: 1, total_uptime: 2, start_time: 3 },
        attester: 'mallory',
        attester_id: alice.id,
        as_of_time: Math.floor(clock.now() / 1000),
        proposal_ts: Math.floor(clock.now() / 1000),
        round: 1,
        approved: true,
        signature: '',
      }
      vote.signature = signAttestation(vote, mallory.seed)
      pipeline.handle(TOPICS.checkpointVote, enc.encode(encodeCheckpointVote(vote as never)))
      expect(delivered.filter((e) => e.kind === 'checkpoint_vote')).toHaveLength(0)
      expect(counters.snapshot().dropped['unknown-sender']).toBe(1)
      // mallory cannot move on to another ID (one ID per key): id-mismatch.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(mallory, now + 3n, identity('carol').id))
      expect(counters.snapshot().dropped['id-mismatch']).toBe(1)
    })

    it('one key is one checkpoint voter: a final from one key under many IDs is refused', () => {
      const { pipeline, counters, keyring, clock, delivered } = setup()
      const mallory = identity('mallory')
      const now = BigInt(clock.now()) * NS
      const ids = Array.from({ length: 5 }, (_, i) => `FAKEID${i}`)
      ids.forEach((id, i) => {
        pipeline.handle(TOPICS.heyThere, heyThereBytes(mallory, now + BigInt(i), id))
      })
      expect(ids.map((id) => keyring.byId(id) !== undefined)).toEqual([
        true,
        false,
        false,
        false,
        false,
      ])
      const base = {
        version: 2,
        subject: 'carol',
        subject_id: 'CAROLID',
        observation: { restarts: 9, total_uptime: 9, start_time: 9 },
        as_of_time: Math.floor(clock.now() / 1000),
        round: 1,
      }
      const signatures = ids.map((id) =>
        signAttestation(checkpointVoterAttestation(base, id), mallory.seed),
      )
      const ev = {
        id: '',
        ts: now + 100n,
        svc: 'checkpoint',
        checkpoint: { ...base, voter_ids: ids, signatures },
      }
      ev.id = computeEventId(ev as never)
      pipeline.handle(
        TOPICS.checkpointFinal,
        enc.encode(encodeSyncEvent(ev as unknown as SyncEvent)),
      )
      expect(delivered.filter((e) => e.kind === 'checkpoint_final')).toHaveLength(0)
      expect(counters.snapshot().dropped['too-few-signatures']).toBe(1)
    })

    it('decodes signatures strictly and deduplicates votes on the signed text: one vote is delivered once', () => {
      const { pipeline, counters, keyring, clock, delivered } = setup()
      const alice = identity('alice')
      keyring.pin({ name: 'alice', naraId: alice.id, publicKey: alice.publicKey })
      const t = Math.floor(clock.now() / 1000)
      const vote = {
        version: 2,
        subject: 'bob',
        subject_id: identity('bob').id,
        observation: { restarts: 1, total_uptime: 2, start_time: 3 },
        attester: 'alice',
        attester_id: alice.id,
        as_of_time: t,
        proposal_ts: t,
        round: 1,
        approved: true,
        signature: '',
      }
      vote.signature = signAttestation(vote, alice.seed)
      const send = (v: object) =>
        pipeline.handle(TOPICS.checkpointVote, enc.encode(encodeCheckpointVote(v as never)))
      send(vote)
      const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
      const sig = vote.signature
      const lax = `${sig.slice(0, 85)}${ALPHA[ALPHA.indexOf(sig[85] as string) ^ 1]}==`
      send({ ...vote, signature: lax }) // non-zero trailing bits
      send({ ...vote, signature: sig.replace(/\+/g, '-').replace(/\//g, '_') }) // URL-safe (if any)
      send({ ...vote, round: 2, approved: false }) // unsigned fields changed: same attestation
      expect(delivered).toHaveLength(1)
      const dropped = counters.snapshot().dropped
      expect((dropped['bad-signature'] ?? 0) + (dropped.duplicate ?? 0)).toBe(3)
      expect(dropped['bad-signature']).toBeGreaterThanOrEqual(1)
    })

    it('refuses proposals and votes whose as_of_time is outside the freshness window', () => {
      const { pipeline, counters, keyring, clock, delivered } = setup()
      const alice = identity('alice')
      keyring.pin({ name: 'alice', naraId: alice.id, publicKey: alice.publicKey })
      const proposal = (asOf: number) => {
        const p = {
          version: 2,
          subject: 'alice',
          subject_id: alice.id,
          observation: { restarts: 1, total_uptime: 2, start_time: 3 },
          attester: 'alice',
          attester_id: alice.id,
          as_of_time: asOf,
          round: 1,
          signature: '',
        }
        p.signature = signAttestation(p, alice.seed)
        return enc.encode(encodeCheckpointProposal(p as never))
      }
      const t = Math.floor(clock.now() / 1000)
      pipeline.handle(TOPICS.checkpointPropose, proposal(t - 86_400)) // a day old
      pipeline.handle(TOPICS.checkpointPropose, proposal(t + 3_600)) // an hour ahead
      pipeline.handle(TOPICS.checkpointPropose, proposal(t))
      expect(counters.snapshot().dropped.stale).toBe(2)
      expect(delivered).toHaveLength(1)
    })

    it('a replayed newspaper is a duplicate, and an older one (lower Uptime) is stale until the next hey_there', () => {
      const { pipeline, counters, clock, delivered } = setup()
      const alice = identity('alice')
      pipeline.handle(TOPICS.heyThere, heyThereBytes(alice, BigInt(clock.now()) * NS))
      const old = newspaperBytes('alice', alice, 100)
      pipeline.handle('nara/newspaper/alice', old)
      pipeline.handle('nara/newspaper/alice', old)
      expect(counters.snapshot().dropped.duplicate).toBe(1)
      pipeline.handle('nara/newspaper/alice', newspaperBytes('alice', alice, 200))
      clock.advance(24 * 3600_000) // a day later the hash memory has expired...
      pipeline.handle('nara/newspaper/alice', old)
      expect(counters.snapshot().dropped.stale).toBe(1) // ...but Uptime 100 < 200
      // After a hey_there (a restart), Uptime starts again.
      pipeline.handle(TOPICS.heyThere, heyThereBytes(alice, BigInt(clock.now()) * NS))
      pipeline.handle('nara/newspaper/alice', newspaperBytes('alice', alice, 5))
      expect(delivered.filter((e) => e.kind === 'newspaper').map((e) => e.message)).toHaveLength(3)
    })

    it('junk claiming alice cannot rate-limit alice: only verified messages take from her bucket', () => {
      const { pipeline, counters, keyring, clock, delivered } = setup()
      const alice = identity('alice')
      const mallory = identity('mallory')
      keyring.pin({ name: 'alice', publicKey: alice.publicKey })
      const now = BigInt(clock.now()) * NS
      for (let i = 0; i < 20; i++) {
        // Forged (mallory's key) and plain junk, both claiming "emitter":"alice".
        const forged = buildSocial(
          { type: 'tease', actor: 'alice', target: 'bob', reason: `f${i}`, tsNs: now + BigInt(i) },
          { name: 'alice', seed: mallory.seed },
        )
        pipeline.handle(TOPICS.social, enc.encode(encodeSyncEvent(forged as SyncEvent)))
        pipeline.handle(TOPICS.social, enc.encode(`{"emitter":"alice","junk":${i}}`))
      }
      pipeline.handle(TOPICS.social, socialBytes(alice, 'genuine', now))
      expect(delivered.map((e) => e.sender)).toEqual(['alice'])
      expect(counters.snapshot().dropped['rate-limited']).toBeUndefined()
    })
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
