/**
 * `checkpoint_final` (WIRE §6.6.3): a SyncEvent (`svc: "checkpoint"`) on
 * `nara/checkpoint/final`. Signed content (§4.2): version 0/1
 * `checkpoint:{sid}:{as_of_time}:{start}:{restarts}:{uptime}`, otherwise
 * `checkpoint:v2:{sid}:{as_of_time}:{start}:{restarts}:{uptime}:{previous_checkpoint_id}`, where
 * `sid` is `subject_id`, or `subject` when empty (note start:restarts:uptime order; attestations
 * use restarts:uptime:start).
 *
 * Verification is stricter than Go (§12.9): each `signatures[i]` is
 * voter `voter_ids[i]`'s attestation over the checkpoint values; a final needs ≥ 5 listed
 * signatures, NO voter listed twice, and ≥ 2 DISTINCT PUBLIC KEYS among the voters whose
 * signature verifies (so one key that answers to several NaraIDs is still one voter), one of them
 * the SUBJECT's own (`voter_ids[i] == subject_id`, verified with the key pinned to the `subject`
 * name by a signed claim; else `subject-unsigned`): the `subject` name is unsigned, so without it
 * anyone could apply values voters signed for one ID to another nara's name. The event ID is
 * recomputed, never trusted.
 */

import { type Ed25519Backend, sha256Of } from '../backends/backend.js'
import { defaultBackend } from '../backends/select.js'
import { fromBase64Strict, toBase64, utf8 } from '../bytes.js'
import { checkSignedIdPair } from '../key-checks.js'
import type { KeyLookup } from '../key-lookup.js'
import { colonInNames, isSplitSafe } from '../signed-names.js'
import { eventIdOf } from '../sync-event-hash.js'
import {
  type AttestationLike,
  type CheckpointLike,
  formatGoInt,
  type SyncEventLike,
} from '../types.js'
import { accept, reject, type Verdict } from '../verdict.js'
import {
  decided,
  runPlan,
  type SignatureCheck,
  type VerificationPlan,
} from '../verification-plan.js'
import { attestationMessage } from './attestation.js'
import type { VerifyOptions } from './kind.js'
import { syncEventKind } from './sync-event-kind.js'

/** Go `CheckpointEventPayload.ContentString`. */
export function checkpointContent(cp: CheckpointLike): string {
  const sid = cp.subject_id || cp.subject || ''
  const o = cp.observation ?? {}
  const head = `${sid}:${formatGoInt(cp.as_of_time)}:${formatGoInt(o.start_time)}:${formatGoInt(o.restarts)}:${formatGoInt(o.total_uptime)}`
  const version = cp.version === undefined ? 0 : Number(cp.version)
  if (version === 0 || version === 1) return `checkpoint:${head}`
  return `checkpoint:v2:${head}:${cp.previous_checkpoint_id ?? ''}`
}

/** Signatures a final checkpoint must list (Go `MinVotersRequired`). */
export const MIN_CHECKPOINT_SIGNATURES_LISTED = 5
/** Distinct voters whose signature must verify (Go `MinCheckpointSignatures`). */
export const MIN_CHECKPOINT_VALID_VOTERS = 2

/** A verdict plus the signature counts behind it. */
export interface CheckpointFinalVerdict extends Verdict {
  /** Entries in `signatures`. */
  readonly totalSignatures: number
  /** Distinct voters whose key the keyring knows. */
  readonly knownKeys: number
  /** Distinct voter PUBLIC KEYS whose signature verifies (one key listed under two IDs counts once). */
  readonly validVoters: number
  /** The voter NaraIDs whose signature verifies. */
  readonly voterIds: readonly string[]
}

/** The attestation voter `voterId` signed for checkpoint `cp` (Go's rebuild, §6.6.3). */
export function checkpointVoterAttestation(cp: CheckpointLike, voterId: string): AttestationLike {
  const version = cp.version === undefined || Number(cp.version) === 0 ? 1 : cp.version
  const att: AttestationLike = {
    version,
    subject: cp.subject ?? '',
    subject_id: cp.subject_id ?? '',
    observation: cp.observation ?? {},
    attester_id: voterId,
    as_of_time: cp.as_of_time ?? 0,
  }
  return Number(version) >= 2
    ? { ...att, last_seen_checkpoint_id: cp.previous_checkpoint_id ?? '' }
    : att
}

/** Go `CheckpointEventPayload.IsValid`. */
export function isCheckpointPayloadValid(cp: CheckpointLike): boolean {
  const o = cp.observation ?? {}
  return (
    (cp.subject ?? '') !== '' &&
    Number(cp.as_of_time ?? 0) > 0 &&
    Number(o.restarts ?? 0) >= 0 &&
    Number(o.total_uptime ?? 0) >= 0 &&
    (cp.voter_ids ?? []).length === (cp.signatures ?? []).length
  )
}

function withCounts(
  v: Verdict,
  totalSignatures: number,
  knownKeys: number,
  validVoters: number,
  voterIds: readonly string[] = [],
): CheckpointFinalVerdict {
  return { ...v, totalSignatures, knownKeys, validVoters, voterIds }
}

/** The reject verdict of a final decided before any signature check. */
function rejectFinal(v: Verdict, total: number): VerificationPlan<CheckpointFinalVerdict> {
  return decided(withCounts(v, total, 0, 0))
}

/** Every check that needs no signature, in order; a verdict when one fails. */
function precheck(
  ev: SyncEventLike,
  cp: CheckpointLike,
  eventId: string,
  keyring: KeyLookup,
): Verdict | null {
  const subject = cp.subject ?? ''
  const voters = cp.voter_ids ?? []
  const total = (cp.signatures ?? []).length
  if (!isCheckpointPayloadValid(cp))
    return reject('malformed', 'invalid checkpoint payload', subject)
  const voter = voters.find((v) => !isSplitSafe(v))
  const colon = colonInNames({ subject, subject_id: cp.subject_id, voter_ids: voter }, subject)
  if (colon) return colon
  if (ev.id !== eventId) return reject('bad-id', 'event id does not match its content', subject)
  if (new Set(voters).size !== voters.length) {
    return reject('duplicate-voter', 'a voter ID is listed more than once', subject)
  }
  const mismatch = checkSignedIdPair(keyring, subject, cp.subject_id, 'subject_id', subject)
  if (mismatch) return mismatch
  if (total < MIN_CHECKPOINT_SIGNATURES_LISTED) {
    return reject('too-few-signatures', `${total} signatures listed, need 5`, subject)
  }
  return null
}

/**
 * One signature check per listed voter whose key is known and whose signature is well formed.
 * The subject's own entry (`voter_ids[i] == subject_id`) is checked with the key pinned to the
 * subject NAME (by a signed claim), never with whatever key holds its ID: `subjectCheck` is the
 * index of that check, -1 when there is none.
 */
function voterChecks(cp: CheckpointLike, keyring: KeyLookup) {
  const voters = cp.voter_ids ?? []
  const signatures = cp.signatures ?? []
  const subjectId = cp.subject_id ?? ''
  const subjectKey = cp.subject ? keyring.byName(cp.subject) : undefined
  const checks: SignatureCheck[] = []
  const checkedIds: string[] = []
  let known = 0
  let subjectCheck = -1
  voters.forEach((voterId, i) => {
    const isSubject = subjectId !== '' && voterId === subjectId && subjectKey !== undefined
    const key = isSubject ? subjectKey : keyring.byId(voterId)
    if (key === undefined) return
    known++
    // A malformed signature (not canonical base64 of 64 bytes) never verifies: no check needed.
    const signature = fromBase64Strict(signatures[i] ?? '')
    if (signature === null || signature.length !== 64) return
    const att = checkpointVoterAttestation(cp, voterId)
    if (isSubject) subjectCheck = checks.length
    checkedIds.push(voterId)
    checks.push({ signature, message: utf8(attestationMessage(att)), publicKey: key })
  })
  return { checks, checkedIds, known, subjectCheck }
}

/** The verdict of the voters' results: ≥ 2 distinct valid keys, one of them the subject's. */
function finalVerdict(subject: string, valid: number, subjectSigned: boolean): Verdict {
  if (valid < MIN_CHECKPOINT_VALID_VOTERS) {
    return reject('too-few-signatures', `${valid} distinct valid voter keys, need 2`, subject)
  }
  if (!subjectSigned) {
    const detail = "no valid signature by the key pinned to the subject's name"
    return reject('subject-unsigned', detail, subject)
  }
  return accept(subject)
}

/**
 * Plans the verification of a final checkpoint SyncEvent against the keyring (lookups by voter
 * NaraID): one signature check per voter whose key is known. `finish` counts the DISTINCT
 * PUBLIC KEYS among the valid signatures (a key that answers to several NaraIDs is one voter).
 */
export function planCheckpointFinal(
  ev: SyncEventLike,
  keyring: KeyLookup,
  options: VerifyOptions = {},
): VerificationPlan<CheckpointFinalVerdict> {
  const cp = ev.checkpoint
  if (ev.svc !== 'checkpoint' || cp === null || typeof cp !== 'object') {
    return rejectFinal(reject('malformed', 'not a checkpoint SyncEvent'), 0)
  }
  const subject = cp.subject ?? ''
  const total = (cp.signatures ?? []).length
  const hash = sha256Of(options.backend ?? defaultBackend)
  // Go's IsValid first: the content string of an invalid payload is not worth hashing.
  const eventId = isCheckpointPayloadValid(cp) ? eventIdOf(ev, checkpointContent(cp), hash) : ''
  const early = precheck(ev, cp, eventId, keyring)
  if (early) return rejectFinal(early, total)
  const { checks, checkedIds, known, subjectCheck } = voterChecks(cp, keyring)
  return {
    checks,
    eventId,
    finish(results) {
      const keys = new Set<string>()
      const validIds: string[] = []
      checks.forEach((check, i) => {
        if (results[i] !== true) return
        validIds.push(checkedIds[i] as string)
        keys.add(toBase64(check.publicKey))
      })
      const valid = keys.size
      const verdict = finalVerdict(subject, valid, results[subjectCheck] === true)
      return withCounts(verdict, total, known, valid, validIds)
    },
  }
}

/** Verifies a final checkpoint SyncEvent: `runPlan(planCheckpointFinal(...))`, with its counts. */
export function verifyCheckpointFinal(
  ev: SyncEventLike,
  keyring: KeyLookup,
  backend: Ed25519Backend = defaultBackend,
): CheckpointFinalVerdict {
  return runPlan(planCheckpointFinal(ev, keyring, { backend }), backend)
}

export const checkpointFinalKind = syncEventKind({
  name: 'checkpoint_final',
  topic: 'checkpoint_final',
  svc: 'checkpoint',
  payloadKey: 'checkpoint',
  content: checkpointContent,
  valid: isCheckpointPayloadValid,
  sender: (p: CheckpointLike) => p.subject,
  senderField: 'checkpoint.subject',
  idFields: [{ name: 'subject', id: 'subject_id', field: 'subject_id', signed: true }],
  plan: planCheckpointFinal,
  summary: (p) =>
    `checkpoint of ${p.subject ?? ''} (${(p.voter_ids ?? []).length} voter(s) listed)`,
})
