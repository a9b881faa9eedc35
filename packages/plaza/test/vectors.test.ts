/**
 * Every message vector of `plaza-vectors.json` (read as-is from beside the monorepo) through the
 * inbound pipeline, inline and with the worker pool. The pipeline must reach the verdict of
 * `@nara/crypto`'s `verifyDecoded` (the same code decides both): Go's `expect`, except for the
 * documented `STRICTER_THAN_GO` cases. Freshness is disabled (the vectors carry fixed times) and
 * the keyring is pre-seeded from the vector identities (reduced where the vector says so).
 */
import { fastestBackend, STRICTER_THAN_GO, verifyDecoded } from '@nara/crypto'
import { decodeMessage } from '@nara/protocol'
import { messageVectors, receiverIdentities } from '@nara/vitest-config/vectors'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createKeyring } from '../src/index.js'
import { createVerifyPool, type VerifyPool } from '../src/verify-pool.js'
import { testPipeline } from './helpers.js'

const vectors = messageVectors().map((v) => ({ kind: v.kind, v, key: `${v.kind}/${v.name}` }))

/** A plaza keyring pinning the keys the vector's receiver knows (reduced where it says so). */
function seededKeyring(v: { kind: string; name: string }) {
  const ring = createKeyring()
  for (const i of receiverIdentities(v.kind, v.name)) {
    ring.pin({ name: i.name, naraId: i.nara_id, publicKey: i.public_key_base64 })
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

async function throughPipeline(
  topic: string,
  v: { kind: string; name: string },
  payload: string,
  pool?: VerifyPool,
) {
  const drops: string[] = []
  const { delivered, pipeline } = testPipeline({
    me: 'vector-receiver',
    keyring: seededKeyring(v),
    maxPayloadBytes: 1024 * 1024,
    freshnessWindowMs: Number.POSITIVE_INFINITY,
    howdyNeedsHeyThere: false,
    pool,
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
          seededKeyring(v),
          { backend: fastestBackend() },
        )
        const stricter = STRICTER_THAN_GO[key]
        expect(verdict.verdict).toBe(stricter ? 'reject' : v.expect)
        if (stricter) expect(verdict.reason).toBe(stricter.reason)
        const { delivered, drops } = await throughPipeline(
          topic,
          v,
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
