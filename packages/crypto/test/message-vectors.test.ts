/**
 * The heart of the crypto suite: every message vector of plaza-vectors.json, on every available
 * Ed25519 backend. Base vectors are rebuilt from their inputs (identical bytes and signatures);
 * every vector is decoded with @nara/protocol and judged by `verifyDecoded`, whose verdict must
 * equal Go's `expect` except for the documented STRICTER_THAN_GO cases.
 */
import {
  decodeMessage,
  decodeSyncEvent,
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
} from '@nara/protocol'
import { afterAll, describe, expect, it } from 'vitest'
import {
  attestationMessage,
  availableBackends,
  buildChau,
  buildHeyThere,
  buildPing,
  buildSeen,
  buildSocial,
  chauInnerMessage,
  checkpointContent,
  checkpointVoterAttestation,
  computeEventId,
  type Ed25519Backend,
  eventIdMatches,
  eventIdPreimage,
  heyThereInnerMessage,
  howdyMessage,
  nobleSha256,
  sha256Of,
  signAttestation,
  signChauInner,
  signHeyThereInner,
  signHowdy,
  signNewspaperStatus,
  signSyncEvent,
  syncEventContent,
  syncEventDigest,
  syncEventHashes,
  syncEventSigningPreimage,
  toHex,
  verifyChauInner,
  verifyDecoded,
  verifyHeyThereInner,
} from './helpers/public-api.js'
import { STRICTER_THAN_GO } from './helpers/stricter-than-go.js'
import {
  identity,
  keyringFor,
  MESSAGE_KINDS,
  type MessageKind,
  type MessageVector,
  messageVectors,
  seedOf,
  utf8,
  vectors,
} from './helpers/vectors.js'

const backends = availableBackends()
let vectorTests = 0
const counted = () => {
  vectorTests++
}
afterAll(() => {
  console.info(
    `message vector tests: ${vectorTests} (${backends.length} backends: ${backends.map((b) => b.name).join(', ')})`,
  )
})

function decodeVector(v: MessageVector) {
  const bytes = utf8(v.payload_utf8)
  return v.transport.topic === null
    ? decodeSyncEvent(bytes)
    : decodeMessage(v.transport.topic, bytes)
}

function decodedMessage<T>(v: MessageVector): T {
  const r = decodeVector(v)
  if (!r.ok) throw new Error(`vector ${v.name} does not decode: ${r.reason} ${r.detail ?? ''}`)
  return r.message as T
}

const idOf = (name: string) => identity(name).nara_id
const signer = (name: string) => ({ name, seed: seedOf(name) })
const tsOf = (v: MessageVector) => BigInt(v.inputs?.clock_unix_nano ?? v.ts_decimal ?? '0')
const secondsOf = (v: MessageVector) => Number(tsOf(v) / 1_000_000_000n)
const str = (x: unknown) => (typeof x === 'string' ? x : '')

/** Rebuilds a base SyncEvent vector from its `inputs` with our builders/signers. */
function buildSyncEventFromInputs(kind: MessageKind, v: MessageVector, backend: Ed25519Backend) {
  const i = v.inputs ?? {}
  const ts = tsOf(v)
  const withIds = str(i.constructor).includes('WithIDs')
  switch (kind) {
    case 'hey_there':
      return buildHeyThere(
        {
          name: str(i.name),
          publicKey: str(i.public_key),
          meshIp: str(i.mesh_ip),
          naraId: str(i.id),
          tsNs: ts,
        },
        signer(str(i.name)),
        backend,
      )
    case 'chau':
      return buildChau(
        { name: str(i.name), publicKey: str(i.public_key), naraId: str(i.id), tsNs: ts },
        signer(str(i.name)),
        backend,
      )
    case 'social':
      return buildSocial(
        {
          type: str(i.type) || 'tease',
          actor: str(i.actor),
          actorId: str(i.actor_id),
          target: str(i.target),
          targetId: str(i.target_id),
          reason: str(i.reason),
          witness: str(i.witness),
          tsNs: ts,
        },
        signer(str(i.emitter) || str(i.actor)),
        backend,
      )
    case 'ping':
      return buildPing(
        { observer: str(i.observer), target: str(i.target), rttMs: Number(i.rtt), tsNs: ts },
        signer(str(i.emitter)),
        backend,
      )
    case 'seen': {
      const ev = buildSeen(
        { observer: str(i.observer), subject: str(i.subject), via: str(i.via), tsNs: ts },
        signer(str(i.observer)),
        backend,
      )
      if (!withIds) return ev
      const seen = {
        observer: str(i.observer),
        observer_id: idOf(str(i.observer)),
        subject: str(i.subject),
        subject_id: idOf(str(i.subject)),
        via: str(i.via),
      }
      return signSyncEvent({ ...ev, seen }, signer(str(i.observer)), backend)
    }
    default:
      throw new Error(`no builder for ${kind}`)
  }
}

/** Observation events as upstream's constructors make them (documented defaults). */
function buildObservation(name: string, backend: Ed25519Backend) {
  const restart = messageVectors('observation').find((x) => x.name === 'restart_unsigned')!
  const ri = restart.inputs!
  const restartEvent = {
    id: '',
    ts: tsOf(restart),
    svc: 'observation' as const,
    observation: {
      observer: str(ri.observer),
      observer_id: str(ri.observer_id),
      subject: str(ri.subject),
      subject_id: str(ri.subject_id),
      type: 'restart',
      importance: 3, // critical
      start_time: Number(ri.start_time),
      restart_num: Number(ri.restart_num),
      last_restart: secondsOf(restart), // the constructor stamps "now"
    },
  }
  if (name === 'restart_unsigned') return { ...restartEvent, id: computeEventId(restartEvent) }
  if (name === 'restart_signed') return signSyncEvent(restartEvent, signer('carol'), backend)
  const v = messageVectors('observation').find((x) => x.name === name)!
  const i = v.inputs!
  if (name === 'status_change_signed') {
    const ev = {
      id: '',
      ts: tsOf(v),
      svc: 'observation' as const,
      observation: {
        observer: str(i.observer),
        observer_id: idOf(str(i.observer)),
        subject: str(i.subject),
        subject_id: idOf(str(i.subject)),
        type: 'status-change',
        importance: 2, // normal
        online_state: str(i.online_state),
      },
    }
    return signSyncEvent(ev, signer(str(i.observer)), backend)
  }
  const ev = {
    id: '',
    ts: tsOf(v),
    svc: 'observation' as const,
    observation: {
      observer: str(i.observer),
      observer_id: idOf(str(i.observer)),
      subject: str(i.subject),
      subject_id: idOf(str(i.subject)),
      type: 'first-seen',
      importance: 3,
      start_time: Number(i.start_time),
    },
  }
  return { ...ev, id: computeEventId(ev) }
}

function checkSyncEventStrings(
  v: MessageVector,
  ev: Parameters<typeof syncEventContent>[0],
  backend?: Ed25519Backend,
) {
  // The backend's own SHA-256 (native for node/sodium) must give the same ID and digest.
  const hash = backend === undefined ? nobleSha256 : sha256Of(backend)
  if (v.content_string !== undefined) expect(syncEventContent(ev)).toBe(v.content_string)
  if (v.id_preimage !== undefined) expect(eventIdPreimage(ev)).toBe(v.id_preimage)
  if (v.event_id !== undefined) {
    expect(computeEventId(ev)).toBe(v.event_id)
    expect(computeEventId(ev, hash)).toBe(v.event_id)
  }
  if (v.signing?.preimage !== undefined) {
    expect(syncEventSigningPreimage(ev)).toBe(v.signing.preimage)
    expect(toHex(syncEventDigest(ev))).toBe(v.signing.signed_bytes_hex)
    expect(toHex(syncEventDigest(ev, hash))).toBe(v.signing.signed_bytes_hex)
    const both = syncEventHashes(ev, hash)
    expect(toHex(both.digest)).toBe(v.signing.signed_bytes_hex)
    if (v.event_id !== undefined) expect(both.id).toBe(v.event_id)
  }
}

describe.each(backends.map((b) => [b.name, b] as const))('backend %s', (_name, backend) => {
  it('includes sodium in this test run', () => {
    expect(backends.map((b) => b.name)).toEqual(['noble', 'node', 'sodium'])
  })

  describe('base vectors: identical bytes and signatures from the same inputs', () => {
    for (const kind of ['hey_there', 'chau', 'social', 'ping', 'seen'] as const) {
      for (const v of messageVectors(kind).filter((x) => x.inputs !== undefined)) {
        it(`${kind}/${v.name}`, () => {
          counted()
          const ev = buildSyncEventFromInputs(kind, v, backend)
          checkSyncEventStrings(v, ev, backend)
          expect(ev.sig).toBe(v.signing?.signature_base64)
          expect(encodeSyncEvent(ev)).toBe(v.payload_utf8)
        })
      }
    }

    for (const v of messageVectors('observation')) {
      if (v.inputs === undefined) continue
      it(`observation/${v.name}`, () => {
        counted()
        const ev = buildObservation(v.name, backend)
        checkSyncEventStrings(v, ev, backend)
        if (v.signing) expect((ev as { sig?: string }).sig).toBe(v.signing.signature_base64)
        expect(encodeSyncEvent(ev)).toBe(v.payload_utf8)
      })
    }

    for (const v of messageVectors('howdy').filter((x) => x.derived_from === undefined)) {
      it(`howdy/${v.name}`, () => {
        counted()
        const h = decodedMessage<Parameters<typeof encodeHowdy>[0]>(v)
        expect(howdyMessage(h.From, h.To, h.Seq)).toBe(v.signing?.signed_message_utf8)
        const sig = signHowdy(h.From, h.To, h.Seq, seedOf(v.signing!.signer), backend)
        expect(sig).toBe(v.signing?.signature_base64)
        expect(encodeHowdy({ ...h, Signature: sig })).toBe(v.payload_utf8)
      })
    }

    for (const v of messageVectors('newspaper').filter((x) => x.derived_from === undefined)) {
      it(`newspaper/${v.name}`, () => {
        counted()
        const paper = decodedMessage<{
          name: string
          envelope: { Status: Parameters<typeof encodeNaraStatus>[0] }
          statusBytes: Uint8Array
        }>(v)
        const statusJson = encodeNaraStatus(paper.envelope.Status)
        expect(statusJson).toBe(v.signing?.signed_bytes_utf8)
        const sig = signNewspaperStatus(utf8(statusJson), seedOf(v.signing!.signer), backend)
        expect(sig).toBe(v.signing?.signature_base64)
        const bytes = encodeNewspaperBytes(paper.name, utf8(statusJson), sig)
        expect(new TextDecoder().decode(bytes)).toBe(v.payload_utf8)
      })
    }

    for (const v of messageVectors('checkpoint_proposal').filter((x) => x.inputs)) {
      it(`checkpoint_proposal/${v.name}`, () => {
        counted()
        const i = v.inputs!
        const subject = str(i.subject)
        const att = {
          version: 2,
          subject,
          subject_id: idOf(subject),
          observation: {
            restarts: Number(i.restarts),
            total_uptime: Number(i.total_uptime),
            start_time: Number(i.first_seen),
          },
          attester: subject,
          attester_id: idOf(subject),
          last_seen_checkpoint_id: str(i.last_seen_checkpoint_id),
          as_of_time: secondsOf(v),
          signature: '',
        }
        expect(attestationMessage(att)).toBe(v.signing?.signed_message_utf8)
        const signature = signAttestation(att, seedOf(subject), backend)
        expect(signature).toBe(v.signing?.signature_base64)
        expect(encodeCheckpointProposal({ ...att, signature, round: 1 })).toBe(v.payload_utf8)
      })
    }

    for (const v of messageVectors('checkpoint_vote').filter((x) => x.derived_from === undefined)) {
      it(`checkpoint_vote/${v.name}`, () => {
        counted()
        const vote = decodedMessage<Parameters<typeof encodeCheckpointVote>[0]>(v)
        expect(attestationMessage(vote)).toBe(v.signing?.signed_message_utf8)
        const signature = signAttestation(vote, seedOf(v.signing!.signer), backend)
        expect(signature).toBe(v.signing?.signature_base64)
        expect(encodeCheckpointVote({ ...vote, signature })).toBe(v.payload_utf8)
      })
    }

    it('checkpoint_final/final_checkpoint: rebuilt from the proposal and the five votes', () => {
      counted()
      const v = messageVectors('checkpoint_final').find((x) => x.name === 'final_checkpoint')!
      const proposal = messageVectors('checkpoint_proposal').find(
        (x) => x.name === 'proposal_round1',
      )!
      const pi = proposal.inputs!
      const cp = {
        version: 2,
        subject: 'alice',
        subject_id: idOf('alice'),
        previous_checkpoint_id: str(pi.last_seen_checkpoint_id),
        observation: {
          restarts: Number(pi.restarts),
          total_uptime: Number(pi.total_uptime),
          start_time: Number(pi.first_seen),
        },
        as_of_time: secondsOf(proposal),
        round: 1,
        voter_ids: [] as string[],
        signatures: [] as string[],
      }
      for (const s of v.signatures!) {
        const att = checkpointVoterAttestation(cp, s.voter_id)
        expect(attestationMessage(att)).toBe(s.signed_message_utf8)
        cp.voter_ids.push(s.voter_id)
        cp.signatures.push(signAttestation(att, seedOf(s.voter), backend))
      }
      expect(cp.signatures).toEqual(v.signatures!.map((s) => s.signature_base64))
      const ev = {
        id: '',
        ts: BigInt(v.clock_unix_nano!),
        svc: 'checkpoint' as const,
        checkpoint: cp,
      }
      expect(checkpointContent(cp)).toBe(v.content_string)
      expect(eventIdPreimage(ev)).toBe(v.id_preimage)
      const final = { ...ev, id: computeEventId(ev) }
      expect(final.id).toBe(v.event_id)
      expect(encodeSyncEvent(final)).toBe(v.payload_utf8)
    })
  })

  describe('verdicts: ours equal Go’s, except the STRICTER_THAN_GO table', () => {
    for (const kind of MESSAGE_KINDS) {
      for (const v of messageVectors(kind)) {
        const key = `${kind}/${v.name}`
        const stricter = STRICTER_THAN_GO[key]
        it(`${key} → ${stricter ? `reject (${stricter.reason}; Go: ${v.expect})` : v.expect}`, () => {
          counted()
          expect(v.expect).toBe(v.upstream_verify.result ? 'accept' : 'reject')
          const verdict = verifyDecoded(decodeVector(v), keyringFor(kind, v.name), { backend })
          if (stricter) {
            expect(v.expect, 'a STRICTER_THAN_GO entry must be a Go accept').toBe('accept')
            expect(verdict).toMatchObject({ verdict: 'reject', reason: stricter.reason })
          } else {
            expect(verdict.verdict, verdict.detail).toBe(v.expect)
          }
        })
      }
    }
  })

  describe('legacy inner signatures (hey_there/chau payload Signature)', () => {
    for (const kind of ['hey_there', 'chau'] as const) {
      for (const v of vectors[kind].legacy_inner_signature) {
        it(`${kind}/${v.name} → ${v.expect}`, () => {
          counted()
          const p = JSON.parse(v.payload_utf8)
          const ok =
            kind === 'hey_there' ? verifyHeyThereInner(p, backend) : verifyChauInner(p, backend)
          expect(ok ? 'accept' : 'reject').toBe(v.expect)
          const message = kind === 'hey_there' ? heyThereInnerMessage(p) : chauInnerMessage(p)
          if (v.expect === 'accept') {
            expect(message).toBe(v.signed_message_utf8)
            const seed = seedOf(p.From)
            const sig =
              kind === 'hey_there'
                ? signHeyThereInner(p, seed, backend)
                : signChauInner(p, seed, backend)
            expect(sig).toBe(v.signature_base64)
          } else {
            expect(message).not.toBe(v.signed_message_utf8)
          }
        })
      }
    }
  })
})

describe('checkpoint_final.previous_checkpoint (v1 checkpoint event)', () => {
  it('recomputes the id used as previous_checkpoint_id', () => {
    counted()
    const prev = vectors.checkpoint_final.previous_checkpoint
    const r = decodeSyncEvent(utf8(prev.payload_utf8))
    if (!r.ok) throw new Error(r.reason)
    const ev = r.message as Parameters<typeof computeEventId>[0]
    expect(eventIdPreimage(ev)).toBe(prev.id_preimage)
    expect(computeEventId(ev)).toBe(prev.event_id)
    expect(eventIdMatches(ev)).toBe(true)
    expect(encodeSyncEvent(r.message as Parameters<typeof encodeSyncEvent>[0])).toBe(
      prev.payload_utf8,
    )
  })
})
