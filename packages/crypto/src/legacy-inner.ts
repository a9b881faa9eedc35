/**
 * The legacy inner signatures of hey_there/chau payloads (WIRE §4.2 notes): Ed25519 over the raw
 * UTF-8 of `hey_there:{From}:{PublicKey}:{MeshIP}` / `chau:{From}:{PublicKey}`, checked with the
 * embedded `PublicKey`. Always `""` on today's wire; kept to read old payloads. The ID-bearing
 * formats are disabled upstream (`&& false`) and are not accepted here either.
 */
import type { Ed25519Backend } from './backends/backend.js'
import { defaultBackend } from './backends/select.js'
import { fromBase64Strict, toBase64, utf8 } from './bytes.js'
import { parsePublicKeyBase64 } from './keys.js'
import { chauContent } from './kinds/chau.js'
import { heyThereContent } from './kinds/hey-there.js'
import type { ChauLike, HeyThereLike } from './types.js'

/** The message of a hey_there inner signature: the event's content string. */
export function heyThereInnerMessage(p: HeyThereLike): string {
  return heyThereContent(p)
}

/** The message of a chau inner signature: the event's content string. */
export function chauInnerMessage(p: ChauLike): string {
  return chauContent(p)
}

function verifyInner(
  message: string,
  p: { PublicKey?: string; Signature?: string },
  backend: Ed25519Backend,
): boolean {
  const key = parsePublicKeyBase64(p.PublicKey)
  const sig = fromBase64Strict(p.Signature ?? '')
  if (key === null || sig === null || sig.length !== 64) return false
  return backend.verify(sig, utf8(message), key)
}

/** Go `HeyThereEvent.Verify`: inner signature with the embedded key. */
export function verifyHeyThereInner(
  p: HeyThereLike,
  backend: Ed25519Backend = defaultBackend,
): boolean {
  return verifyInner(heyThereInnerMessage(p), p, backend)
}

/** Go `ChauEvent.Verify`: inner signature with the embedded key. */
export function verifyChauInner(p: ChauLike, backend: Ed25519Backend = defaultBackend): boolean {
  return verifyInner(chauInnerMessage(p), p, backend)
}

/** Go `HeyThereEvent.Sign`: the base64 inner signature. */
export function signHeyThereInner(
  p: HeyThereLike,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  return toBase64(backend.sign(utf8(heyThereInnerMessage(p)), seed))
}

/** Go `ChauEvent.Sign`: the base64 inner signature. */
export function signChauInner(
  p: ChauLike,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  return toBase64(backend.sign(utf8(chauInnerMessage(p)), seed))
}
