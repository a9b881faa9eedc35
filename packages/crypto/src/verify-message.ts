/**
 * Whole-message verification for the CLI (`nara verify`) and the plaza inbound pipeline. Pure:
 * the keyring is read, never written (TOFU pinning belongs to the caller). Stricter than Go
 * (WIRE §12) wherever Go can be fooled: unsigned messages are rejected, embedded keys must agree
 * with pinned keys, event IDs are recomputed, newspaper signatures are enforced, names must agree
 * across the fields that carry them, and final checkpoints count distinct voters.
 */

import { verifyAttestation } from './attestation.js'
import { type Ed25519Backend, sha256Of } from './backends/backend.js'
import { defaultBackend } from './backends/index.js'
import { verifyCheckpointFinal } from './checkpoint.js'
import { verifyHowdy } from './howdy.js'
import {
  checkKeyAgrees,
  checkNameIdPair,
  type KeyResolution,
  resolveEmbeddedKey,
  resolvePinnedKey,
} from './key-checks.js'
import type { Keyring } from './keyring.js'
import { parsePublicKeyBase64 } from './keys.js'
import { verifyNewspaperStatus } from './newspaper.js'
import {
  computeEventId,
  hasMatchingPayload,
  isSyncEventSigned,
  verifySyncEvent,
} from './sync-event.js'
import type {
  CheckpointProposalLike,
  CheckpointVoteLike,
  HowdyLike,
  StatusLike,
  SyncEventLike,
} from './types.js'
import { isSyncEventPayloadValid } from './validity.js'
import { accept, reject, type Verdict } from './verdict.js'

/** Options of the message verifiers. */
export interface VerifyOptions {
  /** Ed25519 implementation (default: noble). */
  readonly backend?: Ed25519Backend
  /**
   * Reject a message whose only key is the one it carries (`self-certified`) instead of
   * accepting it as first use. Default `false` (trust on first use; the caller pins).
   */
  readonly requireKnownSender?: boolean
}

/** The sender name a SyncEvent's payload claims (the name the emitter must equal). */
function claimedSender(ev: SyncEventLike): { name: string; field: string } {
  switch (ev.svc) {
    case 'hey-there':
      return { name: ev.hey_there?.From ?? '', field: 'hey_there.From' }
    case 'chau':
      return { name: ev.chau?.From ?? '', field: 'chau.From' }
    case 'social':
      return { name: ev.social?.actor ?? '', field: 'social.actor' }
    case 'ping':
      return { name: ev.ping?.observer ?? '', field: 'ping.observer' }
    case 'seen':
      return { name: ev.seen?.observer ?? '', field: 'seen.observer' }
    case 'observation':
      return { name: ev.observation?.observer ?? '', field: 'observation.observer' }
    default:
      return { name: '', field: 'payload' }
  }
}

/** Name/ID pairs a payload carries that no signature covers, checked against the keyring. */
function idPairs(ev: SyncEventLike): Array<[string | undefined, string | undefined, string]> {
  switch (ev.svc) {
    case 'hey-there':
      return [[ev.hey_there?.From, ev.hey_there?.ID, 'hey_there.ID']]
    case 'chau':
      return [[ev.chau?.From, ev.chau?.ID, 'chau.ID']]
    case 'social':
      return [
        [ev.social?.actor, ev.social?.actor_id, 'social.actor_id'],
        [ev.social?.target, ev.social?.target_id, 'social.target_id'],
      ]
    case 'ping':
      return [
        [ev.ping?.observer, ev.ping?.observer_id, 'ping.observer_id'],
        [ev.ping?.target, ev.ping?.target_id, 'ping.target_id'],
      ]
    case 'seen':
      return [
        [ev.seen?.observer, ev.seen?.observer_id, 'seen.observer_id'],
        [ev.seen?.subject, ev.seen?.subject_id, 'seen.subject_id'],
      ]
    case 'observation':
      return [
        [ev.observation?.observer, ev.observation?.observer_id, 'observation.observer_id'],
        [ev.observation?.subject, ev.observation?.subject_id, 'observation.subject_id'],
      ]
    default:
      return []
  }
}

/**
 * Verifies a signed SyncEvent of any svc except `checkpoint` (hey_there, chau, social, and the
 * gossip kinds ping, observation, seen). Checks, in order: svc/payload match and payload
 * validity, signature present, emitter = the payload's sender, key (embedded for hey_there/chau,
 * pinned by emitter otherwise), uncovered name/ID pairs, recomputed ID, signature.
 */
export function verifySignedSyncEvent(
  ev: SyncEventLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  const backend = options.backend ?? defaultBackend
  const claimed = claimedSender(ev)
  if (ev.svc === 'checkpoint') return verifyCheckpointFinal(ev, keyring, backend)
  if (!hasMatchingPayload(ev)) {
    return reject('malformed', `svc "${ev.svc}" without its payload`, claimed.name)
  }
  if (!isSyncEventPayloadValid(ev)) {
    return reject('malformed', `invalid ${ev.svc} payload`, claimed.name)
  }
  if (!isSyncEventSigned(ev)) return reject('unsigned', 'event has no signature', claimed.name)
  const emitter = ev.emitter ?? ''
  if (emitter !== claimed.name) {
    return reject('sender-mismatch', `emitter differs from ${claimed.field}`, claimed.name)
  }
  let resolved: KeyResolution
  if (ev.svc === 'hey-there' || ev.svc === 'chau') {
    const p = ev.svc === 'hey-there' ? ev.hey_there : ev.chau
    resolved = resolveEmbeddedKey(
      keyring,
      emitter,
      p?.ID || undefined,
      p?.PublicKey,
      options.requireKnownSender ?? false,
    )
  } else {
    resolved = resolvePinnedKey(keyring, emitter, ev.emitter_id || undefined)
  }
  if (!resolved.ok) return resolved.verdict
  const emitterIds = checkNameIdPair(keyring, emitter, ev.emitter_id, 'emitter_id', emitter)
  if (emitterIds) return emitterIds
  for (const [name, id, field] of idPairs(ev)) {
    const mismatch = checkNameIdPair(keyring, name, id, field, emitter)
    if (mismatch) return mismatch
  }
  if (ev.id !== computeEventId(ev, sha256Of(backend))) {
    return reject('bad-id', 'event id does not match its content', emitter)
  }
  if (!verifySyncEvent(ev, resolved.key, backend)) {
    return reject('bad-signature', 'signature does not verify', emitter)
  }
  return accept(emitter)
}

/**
 * Verifies a howdy: signature over `howdy:{From}:{To}:{Seq}` with `Me.PublicKey` (mandatory, as
 * in Go), which must agree with the keyring; `Me.ID` and every neighbour's name/key/ID must not
 * contradict the keyring either (they are unsigned claims).
 */
export function verifyHowdyMessage(
  howdy: HowdyLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  const from = howdy.From ?? ''
  if (from === '') return reject('malformed', 'howdy without From')
  if ((howdy.Signature ?? '') === '') return reject('unsigned', 'howdy has no Signature', from)
  const me: StatusLike = howdy.Me ?? {}
  if (!me.PublicKey) return reject('malformed', 'howdy Me.PublicKey is empty', from)
  const resolved = resolveEmbeddedKey(
    keyring,
    from,
    me.ID || undefined,
    me.PublicKey,
    options.requireKnownSender ?? false,
  )
  if (!resolved.ok) return resolved.verdict
  const meIds = checkNameIdPair(keyring, from, me.ID, 'Me.ID', from)
  if (meIds) return meIds
  for (const [i, n] of (howdy.Neighbors ?? []).entries()) {
    const key = n.PublicKey ? parsePublicKeyBase64(n.PublicKey) : null
    if (key !== null) {
      const conflict = checkKeyAgrees(keyring, key, n.Name, n.ID, `Neighbors[${i}].PublicKey`, from)
      if (conflict) return conflict
    }
    const mismatch = checkNameIdPair(keyring, n.Name, n.ID, `Neighbors[${i}].ID`, from)
    if (mismatch) return mismatch
  }
  if (!verifyHowdy(howdy, resolved.key, options.backend ?? defaultBackend)) {
    return reject('bad-signature', 'howdy signature does not verify', from)
  }
  return accept(from)
}

/** A decoded newspaper: sender name from the topic, envelope, and the raw `Status` bytes. */
export interface NewspaperLike {
  /** Sender name from the topic `nara/newspaper/{name}`. */
  readonly name: string
  readonly envelope: {
    readonly From?: string
    readonly Status?: StatusLike
    readonly Signature?: string
  }
  /** Exact bytes of the `Status` value as received. */
  readonly statusBytes: Uint8Array
}

/**
 * Verifies a newspaper over its raw `Status` bytes. The envelope `From` must equal the topic
 * name; the key is `Status.PublicKey` (must agree with the keyring) or else the pinned key.
 */
export function verifyNewspaperMessage(
  paper: NewspaperLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  const name = paper.name
  if (name === '') return reject('malformed', 'newspaper topic without a name')
  if ((paper.envelope.From ?? '') !== name) {
    return reject('sender-mismatch', 'envelope From differs from the topic name', name)
  }
  const signature = paper.envelope.Signature ?? ''
  if (signature === '') return reject('unsigned', 'newspaper has no Signature', name)
  const status = paper.envelope.Status ?? {}
  const resolved = resolveEmbeddedKey(
    keyring,
    name,
    status.ID || undefined,
    status.PublicKey,
    options.requireKnownSender ?? false,
  )
  if (!resolved.ok) return resolved.verdict
  const mismatch = checkNameIdPair(keyring, name, status.ID, 'Status.ID', name)
  if (mismatch) return mismatch
  const backend = options.backend ?? defaultBackend
  if (!verifyNewspaperStatus(paper.statusBytes, signature, resolved.key, backend)) {
    return reject(
      'bad-signature',
      'newspaper signature does not verify over the Status bytes',
      name,
    )
  }
  return accept(name)
}

/**
 * Verifies a checkpoint proposal: a self-attestation (attester = subject, attester_id =
 * subject_id) signed by the key the keyring holds for `subject_id`.
 */
export function verifyCheckpointProposal(
  proposal: CheckpointProposalLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  const subject = proposal.subject ?? ''
  if ((proposal.signature ?? '') === '')
    return reject('unsigned', 'proposal has no signature', subject)
  if (proposal.attester !== subject || proposal.attester_id !== proposal.subject_id) {
    return reject('sender-mismatch', 'a proposal must be a self-attestation', subject)
  }
  return verifyAttestationFrom(proposal, subject, proposal.subject_id ?? '', keyring, options)
}

/**
 * Verifies a checkpoint vote: signed by the keyring key of `attester_id`; `proposal_ts` must
 * equal `as_of_time` (a voter always signs the proposal's time, and sets both to it).
 */
export function verifyCheckpointVote(
  vote: CheckpointVoteLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  const attester = vote.attester ?? ''
  if ((vote.signature ?? '') === '') return reject('unsigned', 'vote has no signature', attester)
  if (Number(vote.proposal_ts ?? 0) !== Number(vote.as_of_time ?? 0)) {
    return reject('malformed', 'vote proposal_ts differs from the signed as_of_time', attester)
  }
  const subjectIds = checkNameIdPair(keyring, vote.subject, vote.subject_id, 'subject_id', attester)
  if (subjectIds) return subjectIds
  return verifyAttestationFrom(vote, attester, vote.attester_id ?? '', keyring, options)
}

function verifyAttestationFrom(
  att: CheckpointProposalLike | CheckpointVoteLike,
  name: string,
  id: string,
  keyring: Keyring,
  options: VerifyOptions,
): Verdict {
  const key = id ? keyring.byId(id) : undefined
  if (key === undefined) return reject('unknown-sender', 'no key known for that NaraID', name)
  const conflict = checkKeyAgrees(keyring, key, name, undefined, 'key pinned for the NaraID', name)
  if (conflict) return conflict
  const mismatch = checkNameIdPair(keyring, name, id, 'attester_id', name)
  if (mismatch) return mismatch
  if (!verifyAttestation(att, key, options.backend ?? defaultBackend)) {
    return reject('bad-signature', 'attestation signature does not verify', name)
  }
  return accept(name)
}

/** A `decodeMessage`/`decodeSyncEvent` result of `@nara/protocol` (structurally). */
export type DecodedLike =
  | { readonly ok: false; readonly reason: string; readonly detail?: string }
  | { readonly ok?: true; readonly kind: string; readonly message: unknown }

/**
 * Verifies any decoded plaza message. A failed decode is `malformed`; kinds that carry no
 * signature (ledger request/response, journey_complete, stash_refresh) are `unsupported`.
 */
export function verifyDecoded(
  decoded: DecodedLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  if (decoded.ok === false) {
    return reject(
      'malformed',
      `undecodable: ${decoded.reason}${decoded.detail ? ` (${decoded.detail})` : ''}`,
    )
  }
  const { kind, message } = decoded
  switch (kind) {
    case 'hey_there':
    case 'chau':
    case 'social':
    case 'ping':
    case 'observation':
    case 'seen':
      return verifySignedSyncEvent(message as SyncEventLike, keyring, options)
    case 'checkpoint_final':
      return verifyCheckpointFinal(message as SyncEventLike, keyring, options.backend)
    case 'howdy':
      return verifyHowdyMessage(message as HowdyLike, keyring, options)
    case 'newspaper':
      return verifyNewspaperMessage(message as NewspaperLike, keyring, options)
    case 'checkpoint_propose':
      return verifyCheckpointProposal(message as CheckpointProposalLike, keyring, options)
    case 'checkpoint_vote':
      return verifyCheckpointVote(message as CheckpointVoteLike, keyring, options)
    default:
      return reject('unsupported', `message kind "${kind}" carries no signature`)
  }
}
