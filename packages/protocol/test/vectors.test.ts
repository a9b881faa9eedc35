import { describe, expect, it } from 'vitest'
import {
  type DecodeResult,
  decodeMessage,
  decodeSyncEvent,
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaper,
  encodeSyncEvent,
  type SyncEvent,
  topicQos,
} from './helpers/public-api.js'
import { bytesOf, loadVectors, type MessageVector } from './vectors.js'

const vectors = loadVectors()

/** Vectors whose bytes are deliberately not Go's layout (re-indented / re-sorted newspapers). */
const NON_GO_LAYOUT = new Set(['newspaper_alice__reindented', 'newspaper_alice__keys_resorted'])
/** Vectors we refuse on purpose: svc "hey-there" carrying only a `chau` payload (Go panics). */
const DELIBERATE_REJECTS = new Map([['chau_with_id__tamper_svc', 'bad-schema']])

const EXPECTED_KIND: Record<string, string> = {
  hey_there: 'hey_there',
  chau: 'chau',
  social: 'social',
  ping: 'ping',
  observation: 'observation',
  seen: 'seen',
  howdy: 'howdy',
  newspaper: 'newspaper',
  checkpoint_proposal: 'checkpoint_propose',
  checkpoint_vote: 'checkpoint_vote',
  checkpoint_final: 'checkpoint_final',
}

function decode(v: MessageVector): DecodeResult {
  const bytes = bytesOf(v)
  const topic = v.transport?.topic
  return topic ? decodeMessage(topic, bytes) : decodeSyncEvent(bytes)
}

function reencode(r: DecodeResult): string {
  if (!r.ok) throw new Error('not decoded')
  switch (r.kind) {
    case 'newspaper': {
      const env = r.message.envelope
      return encodeNewspaper(env.From, encodeNaraStatus(env.Status), env.Signature)
    }
    case 'howdy':
      return encodeHowdy(r.message)
    case 'checkpoint_propose':
      return encodeCheckpointProposal(r.message)
    case 'checkpoint_vote':
      return encodeCheckpointVote(r.message)
    default:
      return encodeSyncEvent(r.message as SyncEvent)
  }
}

describe('golden vectors (plaza-vectors.json, read as-is)', () => {
  it('exercises all 151 message vectors', () => {
    expect(vectors.length).toBe(151)
    // Keep the count visible in the test log.
    process.stdout.write(`plaza vectors exercised: ${vectors.length}\n`)
  })

  it.each(vectors.map((v) => [`${v.kind}/${v.name}`, v] as const))(
    'decodes %s with the right kind or a deliberate verdict',
    (_label, v) => {
      expect(new TextDecoder().decode(bytesOf(v))).toBe(v.payload_utf8)
      const r = decode(v)
      const verdict = DELIBERATE_REJECTS.get(v.name)
      if (verdict !== undefined) {
        expect(r).toMatchObject({ ok: false, reason: verdict })
        return
      }
      expect(r.ok).toBe(true)
      if (!r.ok) return
      expect(r.kind).toBe(EXPECTED_KIND[v.kind])
      if (v.transport?.topic) expect(topicQos(v.transport.topic)).toBe(v.transport.qos)
    },
  )

  it.each(
    vectors
      .filter((v) => !NON_GO_LAYOUT.has(v.name) && !DELIBERATE_REJECTS.has(v.name))
      .map((v) => [`${v.kind}/${v.name}`, v] as const),
  )('re-encodes %s to the identical Go bytes', (_label, v) => {
    expect(reencode(decode(v))).toBe(v.payload_utf8)
  })

  it('covers every base vector in the byte-identical re-encode', () => {
    const base = vectors.filter((v) => v.derived_from === undefined || v.inputs !== undefined)
    expect(base.length).toBeGreaterThan(20)
    for (const v of base)
      expect(NON_GO_LAYOUT.has(v.name) || DELIBERATE_REJECTS.has(v.name)).toBe(false)
  })

  it.each(vectors.filter((v) => v.kind === 'newspaper').map((v) => [v.name, v] as const))(
    'newspaper %s keeps the exact raw Status bytes',
    (_name, v) => {
      const r = decode(v)
      if (!r.ok || r.kind !== 'newspaper') throw new Error('expected a newspaper')
      const raw = new TextDecoder().decode(r.message.statusBytes)
      // The raw bytes are exactly the Status value as it appears in the payload...
      const payload = v.payload_utf8
      const at = payload.indexOf(raw)
      expect(at).toBeGreaterThan(0)
      expect(payload.slice(0, at).replace(/\s+/g, '')).toMatch(/"Status":$/)
      // ...they are what was signed for the untampered ones...
      if (v.signing?.signed_bytes_utf8 && v.expect === 'accept') {
        expect(raw).toBe(v.signing.signed_bytes_utf8)
      }
      // ...and for Go-layout ones, re-encoding the decoded status reproduces them.
      if (!NON_GO_LAYOUT.has(v.name)) expect(encodeNaraStatus(r.message.envelope.Status)).toBe(raw)
      expect(r.message.name).toBe(v.transport?.topic?.slice('nara/newspaper/'.length))
    },
  )

  it('keeps every ts exactly (bigint), including values a double cannot hold', () => {
    let lossy = 0
    for (const v of vectors) {
      const literal = /"ts":(\d+)/.exec(v.payload_utf8)?.[1]
      if (literal === undefined) continue
      if (BigInt(Number(literal)) !== BigInt(literal)) lossy++
      const r = decode(v)
      if (!r.ok) continue // the deliberate svc/payload-mismatch reject
      const ts = (r.message as SyncEvent).ts
      expect(typeof ts).toBe('bigint')
      expect(ts.toString()).toBe(literal)
    }
    // The vectors README: "45 payloads here have a `ts` that a double cannot represent".
    expect(lossy).toBe(45)
  })
})
