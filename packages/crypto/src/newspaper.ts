/**
 * Newspaper signatures (WIRE §6.4): Ed25519 over the exact `Status` JSON bytes, not hashed.
 * Verification always runs over the raw bytes as received, never over a re-serialisation.
 */
import type { Ed25519Backend } from './backends/backend.js'
import { defaultBackend } from './backends/index.js'
import { assertBytes, assertPublicKey, fromBase64Strict, toBase64 } from './bytes.js'

/** Signs the status bytes you are about to embed; returns the base64 `Signature`. */
export function signNewspaperStatus(
  statusBytes: Uint8Array,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  assertBytes(statusBytes, 'status bytes')
  return toBase64(backend.sign(statusBytes, seed))
}

/** Checks a newspaper signature over the raw received `Status` bytes. */
export function verifyNewspaperStatus(
  statusBytes: Uint8Array,
  signatureBase64: string,
  publicKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): boolean {
  assertBytes(statusBytes, 'status bytes')
  assertPublicKey(publicKey)
  const sig = fromBase64Strict(signatureBase64)
  if (sig === null || sig.length !== 64) return false
  return backend.verify(sig, statusBytes, publicKey)
}
