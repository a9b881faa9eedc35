/**
 * Whole-message verification for the CLI (`nara verify`) and the plaza inbound pipeline: ONE
 * piece of code decides every verdict. Each kind has a `plan*` function (every check that needs
 * no signature, plus the signature checks to run, see `verification-plan.ts`) and a `verify*`
 * function that runs the plan inline. Pure: the keyring is read, never written (TOFU pinning
 * belongs to the caller). Stricter than Go
 * (WIRE §12) wherever Go can be fooled: unsigned messages are rejected, embedded keys must agree
 * with pinned keys, event IDs are recomputed, newspaper signatures are enforced, names must agree
 * across the fields that carry them, and final checkpoints count distinct voters.
 */

import { attestationMessage } from './attestation.js'
import { type Ed25519Backend, sha256Of } from './backends/backend.js'
import { defaultBackend } from './backends/index.js'
import { fromBase64Strict, utf8 } from './bytes.js'
import { planCheckpointFinal } from './checkpoint.js'
import { howdyMessage } from './howdy.js'
import {
  checkKeyAgrees,
  checkNameIdPair,
  type EmbeddedKeyResolution,
  type KeyResolution,
  resolveEmbeddedKey,
  resolvePinnedKey,
} from './key-checks.js'
import type { Keyring } from './keyring.js'
import { parsedPublicKeyShared } from './keys.js'
import { hasMatchingPayload, isSyncEventSigned, syncEventHashes } from './sync-event.js'
import type {
  CheckpointProposalLike,
  CheckpointVoteLike,
  HowdyLike,
  NeighborLike,
  StatusLike,
  SyncEventLike,
} from './types.js'
import { isSyncEventPayloadValid } from './validity.js'
import { accept, reject, type Verdict } from './verdict.js'
import { decided, runPlan, type VerificationPlan } from './verification-plan.js'

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

/** A 64-byte signature from its wire text (canonical standard base64), or `null`. */
function signatureBytes(text: string | undefined): Uint8Array | null {
  const sig = fromBase64Strict(text ?? '')
  return sig !== null && sig.length === 64 ? sig : null
}

/** One signature check by the sender's key: accept `from` when it verifies. */
function singleCheck(
  signature: Uint8Array,
  message: Uint8Array,
  key: { key: Uint8Array; firstUse?: boolean },
  from: string,
  failure: string,
  eventId?: string,
): VerificationPlan {
  return {
    checks: [{ signature, message, publicKey: key.key }],
    finish: (results) =>
      results[0] === true ? accept(from) : reject('bad-signature', failure, from),
    publicKey: key.key,
    firstUse: key.firstUse ?? false,
    ...(eventId === undefined ? {} : { eventId }),
  }
}

/**
 * Plans a signed SyncEvent of any svc except `checkpoint` (hey_there, chau, social, and the
 * gossip kinds ping, observation, seen). Checks, in order: svc/payload match and payload
 * validity, signature present, emitter = the payload's sender, key (embedded for hey_there/chau,
 * pinned by emitter otherwise), uncovered name/ID pairs, recomputed ID, signature.
 */
export function planSignedSyncEvent(
  ev: SyncEventLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): VerificationPlan {
  const backend = options.backend ?? defaultBackend
  const claimed = claimedSender(ev)
  if (ev.svc === 'checkpoint') return planCheckpointFinal(ev, keyring, sha256Of(backend))
  if (!hasMatchingPayload(ev)) {
    return decided(reject('malformed', `svc "${ev.svc}" without its payload`, claimed.name))
  }
  if (!isSyncEventPayloadValid(ev)) {
    return decided(reject('malformed', `invalid ${ev.svc} payload`, claimed.name))
  }
  if (!isSyncEventSigned(ev)) {
    return decided(reject('unsigned', 'event has no signature', claimed.name))
  }
  const emitter = ev.emitter ?? ''
  if (emitter !== claimed.name) {
    return decided(reject('sender-mismatch', `emitter differs from ${claimed.field}`, claimed.name))
  }
  let resolved: KeyResolution | EmbeddedKeyResolution
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
    resolved = resolvePinnedKey(keyring, emitter)
  }
  if (!resolved.ok) return decided(resolved.verdict)
  // Every *_id field of a SyncEvent is unsigned: an ID owned by another name is not a reason to
  // reject (see checkNameIdPair), a name's own pinned ID contradicted is.
  const emitterIds = checkNameIdPair(
    keyring,
    emitter,
    ev.emitter_id,
    'emitter_id',
    emitter,
    'ignore',
  )
  if (emitterIds) return decided(emitterIds)
  for (const [name, id, field] of idPairs(ev)) {
    const mismatch = checkNameIdPair(keyring, name, id, field, emitter, 'ignore')
    if (mismatch) return decided(mismatch)
  }
  const { id, digest } = syncEventHashes(ev, sha256Of(backend))
  if (ev.id !== id) return decided(reject('bad-id', 'event id does not match its content', emitter))
  const sig = signatureBytes(ev.sig)
  if (sig === null) {
    return decided(
      reject('bad-signature', 'signature is not canonical base64 of 64 bytes', emitter),
    )
  }
  return singleCheck(sig, digest, resolved, emitter, 'signature does not verify', id)
}

/** Verifies a signed SyncEvent (see {@link planSignedSyncEvent}). */
export function verifySignedSyncEvent(
  ev: SyncEventLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(planSignedSyncEvent(ev, keyring, options), options.backend ?? defaultBackend)
}

/**
 * Plans a howdy: signature over `howdy:{From}:{To}:{Seq}` with `Me.PublicKey` (mandatory, as in
 * Go), which must agree with the key pinned for `From`; `Me.ID` and every neighbour's
 * name/key/ID must not contradict the keyring either (they are unsigned claims).
 */
export function planHowdyMessage(
  howdy: HowdyLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): VerificationPlan {
  const from = howdy.From ?? ''
  if (from === '') return decided(reject('malformed', 'howdy without From'))
  if ((howdy.Signature ?? '') === '') {
    return decided(reject('unsigned', 'howdy has no Signature', from))
  }
  const me: StatusLike = howdy.Me ?? {}
  if (!me.PublicKey) return decided(reject('malformed', 'howdy Me.PublicKey is empty', from))
  const resolved = resolveEmbeddedKey(
    keyring,
    from,
    me.ID || undefined,
    me.PublicKey,
    options.requireKnownSender ?? false,
  )
  if (!resolved.ok) return decided(resolved.verdict)
  const meIds = checkNameIdPair(keyring, from, me.ID, 'Me.ID', from, 'ignore')
  if (meIds) return decided(meIds)
  // Labels are built only for a verdict: this loop runs for every howdy at every receiver.
  const neighbors = howdy.Neighbors ?? []
  for (let i = 0; i < neighbors.length; i++) {
    const n = neighbors[i] as NeighborLike
    const key = n.PublicKey ? (parsedPublicKeyShared(n.PublicKey) as Uint8Array | null) : null
    if (key !== null && checkKeyAgrees(keyring, key, n.Name, undefined, '', from)) {
      const label = `Neighbors[${i}].PublicKey`
      return decided(checkKeyAgrees(keyring, key, n.Name, undefined, label, from) as Verdict)
    }
    if (checkNameIdPair(keyring, n.Name, n.ID, '', from, 'ignore')) {
      const label = `Neighbors[${i}].ID`
      return decided(checkNameIdPair(keyring, n.Name, n.ID, label, from, 'ignore') as Verdict)
    }
  }
  const sig = signatureBytes(howdy.Signature)
  if (sig === null) {
    return decided(
      reject('bad-signature', 'howdy Signature is not canonical base64 of 64 bytes', from),
    )
  }
  const message = utf8(howdyMessage(from, howdy.To ?? '', howdy.Seq ?? 0))
  return singleCheck(sig, message, resolved, from, 'howdy signature does not verify')
}

/** Verifies a howdy (see {@link planHowdyMessage}). */
export function verifyHowdyMessage(
  howdy: HowdyLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(planHowdyMessage(howdy, keyring, options), options.backend ?? defaultBackend)
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
 * Plans a newspaper over its raw `Status` bytes. The envelope `From` must equal the topic name;
 * the key is `Status.PublicKey` (must agree with the key pinned for the topic name) or else the
 * pinned key. NOTE: the signature covers no sender name at all, so a newspaper cannot
 * authenticate a name by itself; a receiver that pins (the plaza) sets `requireKnownSender`.
 */
export function planNewspaperMessage(
  paper: NewspaperLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): VerificationPlan {
  const name = paper.name
  if (name === '') return decided(reject('malformed', 'newspaper topic without a name'))
  if ((paper.envelope.From ?? '') !== name) {
    return decided(reject('sender-mismatch', 'envelope From differs from the topic name', name))
  }
  const signature = paper.envelope.Signature ?? ''
  if (signature === '') return decided(reject('unsigned', 'newspaper has no Signature', name))
  const status = paper.envelope.Status ?? {}
  const resolved = resolveEmbeddedKey(
    keyring,
    name,
    status.ID || undefined,
    status.PublicKey,
    options.requireKnownSender ?? false,
  )
  if (!resolved.ok) return decided(resolved.verdict)
  const mismatch = checkNameIdPair(keyring, name, status.ID, 'Status.ID', name, 'ignore')
  if (mismatch) return decided(mismatch)
  const sig = signatureBytes(signature)
  if (sig === null) {
    return decided(reject('bad-signature', 'Signature is not canonical base64 of 64 bytes', name))
  }
  return singleCheck(
    sig,
    paper.statusBytes,
    resolved,
    name,
    'newspaper signature does not verify over the Status bytes',
  )
}

/** Verifies a newspaper (see {@link planNewspaperMessage}). */
export function verifyNewspaperMessage(
  paper: NewspaperLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(planNewspaperMessage(paper, keyring, options), options.backend ?? defaultBackend)
}

/**
 * Plans a checkpoint proposal: a self-attestation (attester = subject, attester_id =
 * subject_id) signed by the key the keyring holds for `subject_id`.
 */
export function planCheckpointProposal(
  proposal: CheckpointProposalLike,
  keyring: Keyring,
  _options: VerifyOptions = {},
): VerificationPlan {
  const subject = proposal.subject ?? ''
  if ((proposal.signature ?? '') === '') {
    return decided(reject('unsigned', 'proposal has no signature', subject))
  }
  if (proposal.attester !== subject || proposal.attester_id !== proposal.subject_id) {
    return decided(reject('sender-mismatch', 'a proposal must be a self-attestation', subject))
  }
  return planAttestationFrom(proposal, subject, proposal.subject_id ?? '', keyring)
}

/** Verifies a checkpoint proposal (see {@link planCheckpointProposal}). */
export function verifyCheckpointProposal(
  proposal: CheckpointProposalLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(
    planCheckpointProposal(proposal, keyring, options),
    options.backend ?? defaultBackend,
  )
}

/**
 * Plans a checkpoint vote: signed by the keyring key of `attester_id`; `proposal_ts` must equal
 * `as_of_time` (a voter always signs the proposal's time, and sets both to it).
 */
export function planCheckpointVote(
  vote: CheckpointVoteLike,
  keyring: Keyring,
  _options: VerifyOptions = {},
): VerificationPlan {
  const attester = vote.attester ?? ''
  if ((vote.signature ?? '') === '') {
    return decided(reject('unsigned', 'vote has no signature', attester))
  }
  if (Number(vote.proposal_ts ?? 0) !== Number(vote.as_of_time ?? 0)) {
    return decided(
      reject('malformed', 'vote proposal_ts differs from the signed as_of_time', attester),
    )
  }
  const subjectIds = checkNameIdPair(keyring, vote.subject, vote.subject_id, 'subject_id', attester)
  if (subjectIds) return decided(subjectIds)
  return planAttestationFrom(vote, attester, vote.attester_id ?? '', keyring)
}

/** Verifies a checkpoint vote (see {@link planCheckpointVote}). */
export function verifyCheckpointVote(
  vote: CheckpointVoteLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(planCheckpointVote(vote, keyring, options), options.backend ?? defaultBackend)
}

function planAttestationFrom(
  att: CheckpointProposalLike | CheckpointVoteLike,
  name: string,
  id: string,
  keyring: Keyring,
): VerificationPlan {
  const key = id ? keyring.byId(id) : undefined
  if (key === undefined) {
    return decided(reject('unknown-sender', 'no key known for that NaraID', name))
  }
  const conflict = checkKeyAgrees(keyring, key, name, undefined, 'key pinned for the NaraID', name)
  if (conflict) return decided(conflict)
  // The attester ID is signed: an attester name that another ID's owner holds is a lie.
  const mismatch = checkNameIdPair(keyring, name, id, 'attester_id', name)
  if (mismatch) return decided(mismatch)
  const sig = signatureBytes(att.signature)
  if (sig === null) {
    return decided(reject('bad-signature', 'signature is not canonical base64 of 64 bytes', name))
  }
  return singleCheck(
    sig,
    utf8(attestationMessage(att)),
    { key },
    name,
    'attestation signature does not verify',
  )
}

/** A `decodeMessage`/`decodeSyncEvent` result of `@nara/protocol` (structurally). */
export type DecodedLike =
  | { readonly ok: false; readonly reason: string; readonly detail?: string }
  | { readonly ok?: true; readonly kind: string; readonly message: unknown }

/**
 * Plans the verification of any decoded plaza message. A failed decode is `malformed`; kinds
 * that carry no signature (ledger request/response, journey_complete, stash_refresh) are
 * `unsupported`.
 */
export function planDecoded(
  decoded: DecodedLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): VerificationPlan {
  if (decoded.ok === false) {
    return decided(
      reject(
        'malformed',
        `undecodable: ${decoded.reason}${decoded.detail ? ` (${decoded.detail})` : ''}`,
      ),
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
      return planSignedSyncEvent(message as SyncEventLike, keyring, options)
    case 'checkpoint_final':
      return planCheckpointFinal(
        message as SyncEventLike,
        keyring,
        sha256Of(options.backend ?? defaultBackend),
      )
    case 'howdy':
      return planHowdyMessage(message as HowdyLike, keyring, options)
    case 'newspaper':
      return planNewspaperMessage(message as NewspaperLike, keyring, options)
    case 'checkpoint_propose':
      return planCheckpointProposal(message as CheckpointProposalLike, keyring, options)
    case 'checkpoint_vote':
      return planCheckpointVote(message as CheckpointVoteLike, keyring, options)
    default:
      return decided(reject('unsupported', `message kind "${kind}" carries no signature`))
  }
}

/** Verifies any decoded plaza message: `runPlan(planDecoded(...))`. */
export function verifyDecoded(
  decoded: DecodedLike,
  keyring: Keyring,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(planDecoded(decoded, keyring, options), options.backend ?? defaultBackend)
}
