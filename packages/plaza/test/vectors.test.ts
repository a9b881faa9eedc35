/**
 * Every message vector of `plaza-vectors.json` (read as-is from beside the monorepo) through the
 * inbound pipeline, inline and with the worker pool. The pipeline must reach the verdict of
 * `@nara/crypto`'s `verifyDecoded` (the same code decides both): Go's `expect`, except for the
 * documented `STRICTER_THAN_GO` cases. Freshness is disabled (the vectors carry fixed times) and
 * the keyring is pre-seeded from the vector identities (reduced where the vector says so).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { fastestBackend, STRICTER_THAN_GO, verifyDecoded } from '@nara/crypto'
import { decodeMessage } from '@nara/protocol'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { Counters } from '../src/counters.js'
import {
  createInboundPipeline,
  createKeyring,
  createManualClock,
  createVerifyPool,
  type PlazaEvent,
  silentLogger,
  type VerifyPool,
} from '../src/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
const repoRoot = path.resolve(here, '..', '..', '..')
const vectorsPath = path.resolve(repoRoot, '..', 'shared', 'vectors', 'plaza-vectors.json')

interface Vector {
  name: string
  expect: 'accept' | 'reject'
  transport: { topic: string | null }
  payload_utf8: string
}
const file = JSON.parse(readFileSync(vectorsPath, 'utf8')) as Record<string, unknown> & {
  identity: { identities: Array<{ name: string; nara_id: string; public_key_base64: string }> }
}
const KINDS = [
  'hey_there',
  'chau',
  'social',
  'ping',
  'observation',
  'seen',
  'howdy',
  'newspaper',
  'checkpoint_proposal',
  'checkpoint_vote',
  'checkpoint_final',
] as const
const identities = file.identity.identities
const allNames = identities.map((i) => i.name)
/** The reduced keyrings of crypto's vector suite (from the vectors' descriptions). */
const REDUCED: Record<string, readonly string[]> = {
  'checkpoint_proposal/proposal_round1__unknown_subject_key': allNames.filter((n) => n !== 'alice'),
  'checkpoint_final/final_checkpoint__receiver_knows_one_key': ['bob'],
  'checkpoint_final/final_checkpoint__receiver_knows_two_keys': ['bob', 'carol'],
}
const vectors = KINDS.flatMap((kind) =>
  (file[kind] as { vectors: Vector[] }).vectors.map((v) => ({ kind, v, key: `${kind}/${v.name}` })),
)

function seededKeyring(key: string) {
  const ring = createKeyring()
  for (const name of REDUCED[key] ?? allNames) {
    const i = identities.find((x) => x.name === name)
    if (i) ring.pin({ name: i.name, naraId: i.nara_id, publicKey: i.public_key_base64 })
  }
  return ring
}

/** The pipeline drop reasons that correspond to a crypto reject reason. */
function dropsFor(reason: string | undefined): string[] {
  switch (reason) {
    case 'malformed':
      return ['bad-schema', 'bad-json', 'bad-utf8']
    case 'self-certified':
      return ['unknown-sender']
    default:
      return [reason ?? '?']
  }
}

const enc = new TextEncoder()

async function throughPipeline(topic: string, key: string, payload: string, pool?: VerifyPool) {
  const keyring = seededKeyring(key)
  const counters = new Counters()
  const delivered: PlazaEvent[] = []
  const drops: string[] = []
  const pipeline = createInboundPipeline({
    me: 'vector-receiver',
    keyring,
    clock: createManualClock(),
    counters,
    logger: silentLogger,
    maxPayloadBytes: 1024 * 1024,
    rateLimit: false,
    freshnessWindowMs: Number.POSITIVE_INFINITY,
    dedupeSize: 1000,
    howdyNeedsHeyThere: false,
    acceptUnsigned: new Set(),
    backend: fastestBackend(),
    pool,
    maxPendingVerifications: 1000,
    deliver: (e) => delivered.push(e),
    onDrop: (d) => drops.push(d.reason),
  })
  pipeline.handle(topic, enc.encode(payload))
  while (pool !== undefined && pool.pending > 0) await new Promise((r) => setImmediate(r))
  return { delivered, drops }
}

describe('plaza-vectors.json through the inbound pipeline', () => {
  const pools: VerifyPool[] = []
  let pool: VerifyPool
  beforeAll(async () => {
    pool = createVerifyPool({ workers: 1 })
    pools.push(pool)
    await pool.start()
  })
  afterAll(async () => {
    await Promise.all(pools.map((p) => p.stop()))
  })

  it('reads all 151 message vectors; the 43 gossip-only ones (no plaza topic) never reach it', () => {
    expect(vectors).toHaveLength(151)
    const topicless = vectors.filter(({ v }) => v.transport.topic === null)
    expect(topicless).toHaveLength(43)
    expect(new Set(topicless.map(({ kind }) => kind))).toEqual(
      new Set(['ping', 'observation', 'seen']),
    )
  })

  for (const { v, key } of vectors) {
    const topic = v.transport.topic
    if (topic === null) continue
    for (const mode of ['inline', 'worker'] as const) {
      it(`${key} (${mode})`, async () => {
        // crypto's verdict, with the very keyring the pipeline starts from.
        const verdict = verifyDecoded(
          decodeMessage(topic, enc.encode(v.payload_utf8)),
          seededKeyring(key),
          { backend: fastestBackend() },
        )
        const stricter = STRICTER_THAN_GO[key]
        expect(verdict.verdict).toBe(stricter ? 'reject' : v.expect)
        if (stricter) expect(verdict.reason).toBe(stricter.reason)
        const { delivered, drops } = await throughPipeline(
          topic,
          key,
          v.payload_utf8,
          mode === 'worker' ? pool : undefined,
        )
        if (verdict.verdict === 'accept') {
          expect(drops).toEqual([])
          expect(delivered).toHaveLength(1)
          expect(delivered[0]?.authenticated).toBe(true)
        } else {
          expect(delivered).toHaveLength(0)
          expect(drops).toHaveLength(1)
          expect(dropsFor(verdict.reason)).toContain(drops[0])
        }
      })
    }
  }
})
