/**
 * Checkpoint attestations (WIRE §6.6.1), embedded in proposals and votes and re-built for each
 * voter of a final checkpoint. Ed25519 over the UTF-8 string (not hashed):
 *
 * - v1 (version 0 or 1): `attestation:v1:{attester_id}:{subject_id}:{as_of_time}:{restarts}:{total_uptime}:{start_time}`
 * - v≥2: `attestation:v{v}:…:{start_time}:{last_seen_checkpoint_id}`
 */
import type { Ed25519Backend } from '../backends/backend.js'
import { defaultBackend } from '../backends/select.js'
import { assertPublicKey, fromBase64Strict, toBase64, utf8 } from '../bytes.js'
import { checkSignedIdPair, signedIdKey } from '../key-checks.js'
import type { KeyLookup } from '../key-lookup.js'
import { colonInNames } from '../signed-names.js'
import { type AttestationLike, formatGoInt } from '../types.js'
import { reject } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import { signatureBytes, singleCheck } from './kind.js'

/** Go `Attestation.SignableContent`. */
export function attestationMessage(att: AttestationLike): string {
  const raw = att.version === undefined ? 0n : BigInt(att.version)
  const version = raw === 0n ? 1n : raw
  const o = att.observation ?? {}
  const body =
    `attestation:v${version}:${att.attester_id ?? ''}:${att.subject_id ?? ''}:` +
    `${formatGoInt(att.as_of_time)}:${formatGoInt(o.restarts)}:${formatGoInt(o.total_uptime)}:${formatGoInt(o.start_time)}`
  return version === 1n ? body : `${body}:${att.last_seen_checkpoint_id ?? ''}`
}

/** Signs the attestation; returns the base64 signature (put it in `signature`). */
export function signAttestation(
  att: AttestationLike,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  return toBase64(backend.sign(utf8(attestationMessage(att)), seed))
}

/**
 * Checks `signature` (default: `att.signature`) over `attestationMessage(att)` with `publicKey`.
 * Empty, malformed or wrong-length signatures return `false`.
 */
export function verifyAttestation(
  att: AttestationLike,
  publicKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
  signature: string | undefined = att.signature,
): boolean {
  assertPublicKey(publicKey)
  const sig = fromBase64Strict(signature ?? '')
  if (sig === null || sig.length !== 64) return false
  return backend.verify(sig, utf8(attestationMessage(att)), publicKey)
}

/**
 * Plans an attestation by `name` (proposals and votes), its signed ID `id`. The key is the one
 * pinned to the attester NAME by a signed claim; only when the name has none, the key bound to
 * `id` by a SIGNED claim (an ID held only through unsigned claims verifies nothing). The signature
 * covers `attester_id`, so an accepted attestation is itself a signed claim of that ID; it is
 * refused only when the name's key already signed another ID, or (found by ID) when the ID's
 * owner is another name. Names and IDs with `:` are malformed (they would re-split the text).
 */
export function planAttestationFrom(
  att: AttestationLike,
  name: string,
  id: string,
  keys: KeyLookup,
): VerificationPlan {
  const colon = colonInNames({ attester: name, attester_id: id, subject_id: att.subject_id }, name)
  if (colon) return decided(colon)
  const byName = name ? keys.byName(name) : undefined
  const key = byName ?? signedIdKey(keys, id)
  if (key === undefined) {
    const detail = 'no key pinned to the attester name or bound to attester_id by a signed claim'
    return decided(reject('unknown-sender', detail, name))
  }
  const owner = byName === undefined ? keys.nameForId?.(id) : undefined
  if (owner !== undefined && owner !== name) {
    return decided(reject('id-mismatch', 'attester_id is bound to another name', name))
  }
  const mismatch = checkSignedIdPair(keys, name, id, 'attester_id', name)
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
