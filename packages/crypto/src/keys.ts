/**
 * Ed25519 key pairs of a soul (WIRE §3.5): the soul's 32-byte seed is the RFC 8032 private seed
 * directly (no HKDF). Public keys travel as standard padded base64 (44 characters).
 */

import { nobleBackend } from './backends/noble.js'
import { assertPublicKey, toBase64 } from './bytes.js'
import { InvalidPublicKeyError } from './errors.js'
import type { Soul } from './soul.js'

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

const B64_KEY = /^[A-Za-z0-9+/]{43}=$/

/**
 * Parses a wire public key (standard padded base64 of exactly 32 bytes). Returns `null` for
 * anything else; use `parsePublicKeyBase64OrThrow` when a bad key is the caller's mistake.
 */
export function parsePublicKeyBase64(text: unknown): Uint8Array | null {
  if (typeof text !== 'string' || !B64_KEY.test(text)) return null
  const bytes = new Uint8Array(Buffer.from(text, 'base64'))
  return bytes.length === 32 ? bytes : null
}

/** As `parsePublicKeyBase64`, but throws `InvalidPublicKeyError`. */
export function parsePublicKeyBase64OrThrow(text: string): Uint8Array {
  const key = parsePublicKeyBase64(text)
  if (key === null) throw new InvalidPublicKeyError('public key must be base64 of 32 bytes')
  return key
}
