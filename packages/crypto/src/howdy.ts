/**
 * Howdy signatures (WIRE §6.3): Ed25519 over the raw UTF-8 of `howdy:{From}:{To}:{Seq}` — and
 * nothing else of the message (You, Neighbors and Me are unauthenticated).
 */
import type { Ed25519Backend } from './backends/backend.js'
import { defaultBackend } from './backends/index.js'
import { assertPublicKey, fromBase64Strict, toBase64, utf8 } from './bytes.js'
import { goInt, type HowdyLike, type IntLike } from './types.js'

/** The signed text `howdy:{from}:{to}:{seq}`. */
export function howdyMessage(from: string, to: string, seq: IntLike): string {
  return `howdy:${from}:${to}:${goInt(seq)}`
}

/** Signs a howdy; returns the base64 `Signature`. */
export function signHowdy(
  from: string,
  to: string,
  seq: IntLike,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  return toBase64(backend.sign(utf8(howdyMessage(from, to, seq)), seed))
}

/** Checks a howdy's `Signature` with `publicKey`. Missing or malformed signatures are `false`. */
export function verifyHowdy(
  howdy: HowdyLike,
  publicKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): boolean {
  assertPublicKey(publicKey)
  const sig = fromBase64Strict(howdy.Signature ?? '')
  if (sig === null || sig.length !== 64) return false
  const message = howdyMessage(howdy.From ?? '', howdy.To ?? '', howdy.Seq ?? 0)
  return backend.verify(sig, utf8(message), publicKey)
}
