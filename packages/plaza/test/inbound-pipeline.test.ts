import {
  buildSocial,
  checkpointVoterAttestation,
  computeEventId,
  computeNaraId,
  encodeSoul,
  fastestBackend,
  generateSoul,
  keypairFromSoul,
  parseSoul,
  signAttestation,
  signHowdy,
} from '@nara/crypto'
import {
  encodeHowdy,
  encodeSyncEvent,
  type HowdyEvent,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { Counters } from '../src/counters.js'
import {
  createInboundPipeline,
  createKeyring,
  createManualClock,
  createVerifyPool,
  type InboundPipelineOptions,
  type PlazaEvent,
  silentLogger,
  type VerifyPool,
} from '../src/index.js'
import { SOULS } from './helpers.js'

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
  const clock = createManualClock()
  const counters = new Counters()
  const keyring = createKeyring()
  const delivered: PlazaEvent[] = []
  const pipeline = createInboundPipeline({
    me: 'bob',
    keyring,
    clock,
    counters,
    logger: silentLogger,
    maxPayloadBytes: 64 * 1024,
    rateLimit: { capacity: 5, refillPerSecond: 1 },
    freshnessWindowMs: 600_000,
    dedupeSize: 1000,
    acceptUnsigned: new Set(['ledger_request', 'ledger_response', 'journey_complete']),
    backend: fastestBackend(),
    maxPendingVerifications: 1000,
    deliver: (e) => delivered.push(e),
    ...overrides,
  })
  return { clock, counters, keyring, delivered, pipeline }
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

  it('drops a repeated howdy Seq as stale and never throws on garbage', () => {
    const { pipeline, counters, delivered } = setup()
    const alice = identity('alice')
    const howdy = (seq: number): Uint8Array => {
      const h = {
        From: 'alice',
        To: 'bob',
        Seq: seq,
        You: {},
        Neighbors: null,
        Me: {
          LicensePlate: '',
          Flair: '',
          HostStats: {
            Uptime: 1,
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
          Observations: {},
          Trend: '',
          TrendEmoji: '',
          Personality: { Agreeableness: 0, Sociability: 0, Chill: 0 },
          Aura: { primary: '', secondary: '' },
          Version: '',
          PublicUrl: '',
          PublicKey: alice.b64,
          ID: alice.id,
          MeshEnabled: false,
          MeshIP: '',
        },
        Signature: signHowdy('alice', 'bob', seq, alice.seed),
      } as unknown as HowdyEvent
      return enc.encode(encodeHowdy(h))
    }
    pipeline.handle(TOPICS.howdy, howdy(1))
    pipeline.handle(TOPICS.howdy, howdy(1))
    pipeline.handle(TOPICS.howdy, howdy(2))
    for (const junk of ['null', '[]', '{"From":1}', '\u0000', '{"Me":{}}']) {
      pipeline.handle(TOPICS.howdy, enc.encode(junk))
    }
    expect(delivered.map((e) => (e.message as HowdyEvent).Seq)).toEqual([1, 2])
    expect(counters.snapshot().dropped.stale).toBe(1)
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
})
