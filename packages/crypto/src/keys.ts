/**
 * Ed25519 key pairs of a soul (WIRE §3.5): the soul's 32-byte seed is the RFC 8032 private seed
 * directly (no HKDF). Public keys travel as standard padded base64 (44 characters).
 */

import { nobleBackend } from './backends/noble.js'
import { assertPublicKey, fromBase64Strict, toBase64 } from './bytes.js'
import { InvalidPublicKeyError } from './errors.js'
import type { Soul } from './soul.js'
import { isWeakPublicKey } from './weak-keys.js'

/** A soul's Ed25519 key pair. `seed` is secret. */
export interface Keypair {
  /** 32-byte RFC 8032 private seed (= the soul seed). */
  readonly seed: Uint8Array
  /** 32-byte public key. */
  readonly publicKey: Uint8Array
}

/** The key pair whose seed is `soul.seed`. */
export function keypairFromSoul(soul: Soul): Keypair {
  return keypairFromSeed(soul.seed)
}

/** The key pair of a 32-byte Ed25519 seed. */
export function keypairFromSeed(seed: Uint8Array): Keypair {
  const publicKey = nobleBackend.publicKey(seed)
  return Object.freeze({ seed: Uint8Array.from(seed), publicKey })
}

/** `b64(publicKey)`: the wire form of a public key. */
export function publicKeyBase64(publicKey: Uint8Array): string {
  assertPublicKey(publicKey)
  return toBase64(publicKey)
}

/**
 * Parses a wire public key: canonical standard padded base64 (`@nara/protocol`'s strict
 * decoder) of exactly 32 bytes that is not a small-order point or a non-canonical encoding
 * ({@link isWeakPublicKey}). Returns `null` for anything else; use
 * `parsePublicKeyBase64OrThrow` when a bad key is the caller's mistake. This is the one key
 * decoder: the verifiers, the plaza keyring and the CLI all go through it.
 */
export function parsePublicKeyBase64(text: unknown): Uint8Array | null {
  const key = parsedPublicKeyShared(text)
  return key === null ? null : key.slice()
}

/**
 * {@link parsePublicKeyBase64} without the copy, for read-only comparisons inside this package:
 * the same few keys are parsed over and over (every howdy lists up to 10 neighbours' keys, for
 * every nara of a town), so verdicts are remembered by text. Never hand the result out.
 * @internal
 */
export function parsedPublicKeyShared(text: unknown): Readonly<Uint8Array> | null {
  if (typeof text !== 'string' || text.length !== 44) return null
  const known = parsedKeys.get(text)
  if (known !== undefined) return known
  const bytes = fromBase64Strict(text)
  const key =
    bytes === null || bytes.length !== 32 || isWeakPublicKey(bytes) ? null : Uint8Array.from(bytes)
  if (parsedKeys.size >= PARSED_KEYS_MAX) parsedKeys.clear()
  parsedKeys.set(text, key)
  return key
}

/** Verdicts of {@link parsePublicKeyBase64} by exact text (bounded: cleared when full). */
const parsedKeys = new Map<string, Uint8Array | null>()
const PARSED_KEYS_MAX = 8192

/** As `parsePublicKeyBase64`, but throws `InvalidPublicKeyError`. */
export function parsePublicKeyBase64OrThrow(text: string): Uint8Array {
  const key = parsePublicKeyBase64(text)
  if (key === null) throw new InvalidPublicKeyError('public key must be base64 of 32 bytes')
  return key
}
