/**
 * Checkpoint attestations (WIRE §6.6.1), embedded in proposals and votes and re-built for each
 * voter of a final checkpoint. Ed25519 over the UTF-8 string (not hashed):
 *
 * - v1 (version 0 or 1): `attestation:v1:{attester_id}:{subject_id}:{as_of_time}:{restarts}:{total_uptime}:{start_time}`
 * - v≥2: `attestation:v{v}:…:{start_time}:{last_seen_checkpoint_id}`
 */
import type { Ed25519Backend } from './backends/backend.js'
import { defaultBackend } from './backends/index.js'
import { assertPublicKey, fromBase64Strict, toBase64, utf8 } from './bytes.js'
import { type AttestationLike, goInt } from './types.js'

/** Go `Attestation.SignableContent`. */
export function attestationMessage(att: AttestationLike): string {
  const raw = att.version === undefined ? 0n : BigInt(att.version)
  const version = raw === 0n ? 1n : raw
  const o = att.observation ?? {}
  const body =
    `attestation:v${version}:${att.attester_id ?? ''}:${att.subject_id ?? ''}:` +
    `${goInt(att.as_of_time)}:${goInt(o.restarts)}:${goInt(o.total_uptime)}:${goInt(o.start_time)}`
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
