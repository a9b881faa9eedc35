/**
 * A received SyncEvent's plan hashes its preimages as bytes (a scratch buffer, no strings): it
 * must recompute the same event ID and digest as the signing side's string path, for every
 * content (non-ASCII, lone surrogates, longer than the scratch buffer) and every SHA-256, and
 * refuse any other `id` (one hex digit changed, uppercase).
 */
import { describe, expect, it } from 'vitest'
import {
  buildHeyThere,
  buildSocial,
  createKeyLookup,
  keypairFromSeed,
  nobleBackend,
  nodeBackend,
  planDecoded,
  runPlan,
  syncEventDigest,
} from './helpers/public-api.js'

const seed = new Uint8Array(32).fill(7)
const { publicKey } = keypairFromSeed(seed)
const signer = { name: 'alice', seed }
const keys = createKeyLookup([{ name: 'alice', publicKey }])

const REASONS = [
  '',
  'high-restarts',
  'héllo wörld ✓ 😀',
  'lone \ud800 surrogate',
  'x'.repeat(3000),
  'é'.repeat(400),
  `${'a'.repeat(900)}✓`,
  `${'a'.repeat(940)}✓ ${'b'.repeat(80)}`,
]

describe.each([nobleBackend, nodeBackend])('received SyncEvent hashes ($name)', (backend) => {
  it.each(REASONS.map((r) => [r.slice(0, 20), r]))('social %j: same ID and digest', (_, reason) => {
    const ev = buildSocial(
      { type: 'tease', actor: 'alice', target: 'bob', reason, tsNs: 1764866000000000123n },
      signer,
      backend,
    )
    const plan = planDecoded({ kind: 'social', message: ev }, keys, { backend })
    expect(plan.eventId).toBe(ev.id)
    expect(plan.checks[0]?.message).toEqual(syncEventDigest(ev, backend.sha256))
    expect(runPlan(plan, backend)).toMatchObject({ verdict: 'accept', from: 'alice' })

    for (const id of [
      `${ev.id.slice(0, 31)}${ev.id[31] === '0' ? '1' : '0'}`,
      ev.id.toUpperCase(),
    ]) {
      if (id === ev.id) continue
      const bad = planDecoded({ kind: 'social', message: { ...ev, id } }, keys, { backend })
      expect(bad.finish([])).toMatchObject({ verdict: 'reject', reason: 'bad-id' })
    }
  })

  it('hey_there with a non-ASCII MeshIP: same ID and digest', () => {
    const ev = buildHeyThere(
      { name: 'alice', publicKey, meshIp: 'mésh-✓', naraId: 'id-a', tsNs: 1764866000000000123n },
      signer,
      backend,
    )
    const plan = planDecoded({ kind: 'hey_there', message: ev }, createKeyLookup(), { backend })
    expect(plan.eventId).toBe(ev.id)
    expect(runPlan(plan, backend)).toMatchObject({ verdict: 'accept', from: 'alice' })
  })
})
