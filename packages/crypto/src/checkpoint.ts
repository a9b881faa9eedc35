/**
 * Final checkpoint verification (WIRE §6.6.3), stricter than Go (§12.9): each `signatures[i]` is
 * voter `voter_ids[i]`'s attestation over the checkpoint values; a final needs ≥ 5 listed
 * signatures, NO voter listed twice, and ≥ 2 DISTINCT voters whose keyring key verifies. The
 * event ID is recomputed, never trusted.
 */

import { verifyAttestation } from './attestation.js'
import { type Ed25519Backend, sha256Of } from './backends/backend.js'
import { defaultBackend } from './backends/index.js'
import { checkNameIdPair } from './key-checks.js'
import type { Keyring } from './keyring.js'
import { computeEventId, hasMatchingPayload } from './sync-event.js'
import type { AttestationLike, CheckpointLike, SyncEventLike } from './types.js'
import { accept, reject, type Verdict } from './verdict.js'

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
  /** Distinct voters whose signature verifies. */
  readonly validVoters: number
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
): CheckpointFinalVerdict {
  return { ...v, totalSignatures, knownKeys, validVoters }
}

/** Verifies a final checkpoint SyncEvent against the keyring (lookups by voter NaraID). */
export function verifyCheckpointFinal(
  ev: SyncEventLike,
  keyring: Keyring,
  backend: Ed25519Backend = defaultBackend,
): CheckpointFinalVerdict {
  const cp = ev.checkpoint
  if (ev.svc !== 'checkpoint' || !hasMatchingPayload(ev) || !cp) {
    return withCounts(reject('malformed', 'not a checkpoint SyncEvent'), 0, 0, 0)
  }
  const subject = cp.subject ?? ''
  const voters = cp.voter_ids ?? []
  const signatures = cp.signatures ?? []
  const total = signatures.length
  if (!isCheckpointPayloadValid(cp)) {
    return withCounts(reject('malformed', 'invalid checkpoint payload', subject), total, 0, 0)
  }
  if (ev.id !== computeEventId(ev, sha256Of(backend))) {
    return withCounts(reject('bad-id', 'event id does not match its content', subject), total, 0, 0)
  }
  if (new Set(voters).size !== voters.length) {
    return withCounts(
      reject('duplicate-voter', 'a voter ID is listed more than once', subject),
      total,
      0,
      0,
    )
  }
  const mismatch = checkNameIdPair(keyring, subject, cp.subject_id, 'subject_id', subject)
  if (mismatch) return withCounts(mismatch, total, 0, 0)
  if (total < MIN_CHECKPOINT_SIGNATURES_LISTED) {
    return withCounts(
      reject('too-few-signatures', `${total} signatures listed, need 5`, subject),
      total,
      0,
      0,
    )
  }
  let known = 0
  let valid = 0
  voters.forEach((voterId, i) => {
    const key = keyring.byId(voterId)
    if (key === undefined) return
    known++
    const att = checkpointVoterAttestation(cp, voterId)
    if (verifyAttestation(att, key, backend, signatures[i])) valid++
  })
  if (valid < MIN_CHECKPOINT_VALID_VOTERS) {
    return withCounts(
      reject('too-few-signatures', `${valid} distinct valid voters, need 2`, subject),
      total,
      known,
      valid,
    )
  }
  return withCounts(accept(subject), total, known, valid)
}
