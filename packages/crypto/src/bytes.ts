/** Small byte helpers shared by the modules of this package (hex, UTF-8, argument checks). */
import { decodeStdBase64 } from '@nara/protocol/json'
import {
  InvalidInputTypeError,
  InvalidPublicKeyError,
  InvalidSeedError,
  InvalidSignatureLengthError,
} from './errors.js'

const encoder = new TextEncoder()

/** UTF-8 bytes of `s`. */
export function utf8(s: string): Uint8Array {
  return encoder.encode(s)
}

/** Lowercase hex of `bytes`. */
export function toHex(bytes: Uint8Array): string {
  let out = ''
  for (const b of bytes) out += b.toString(16).padStart(2, '0')
  return out
}

/** Bytes of a lowercase/uppercase hex string; throws `InvalidInputTypeError` on bad input. */
export function fromHex(hex: string): Uint8Array {
  if (typeof hex !== 'string' || hex.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(hex)) {
    throw new InvalidInputTypeError('expected an even-length hex string')
  }
  const out = new Uint8Array(hex.length / 2)
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16)
  return out
}

/** Concatenation of byte arrays. */
export function concatBytes(...parts: Uint8Array[]): Uint8Array {
  let len = 0
  for (const p of parts) len += p.length
  const out = new Uint8Array(len)
  let off = 0
  for (const p of parts) {
    out.set(p, off)
    off += p.length
  }
  return out
}

/** Standard padded base64 (RFC 4648 §4) of `bytes`. */
export function toBase64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64')
}

/**
 * Decodes canonical standard padded base64, or `null` (wrong alphabet, missing padding,
 * whitespace, non-zero trailing bits). The one decoder of this package: it is
 * `@nara/protocol`'s `decodeStdBase64`, so the wire parser, the verifiers and the plaza agree
 * on which texts are a signature or a key.
 */
export function fromBase64Strict(text: unknown): Uint8Array | null {
  if (typeof text !== 'string') return null
  return decodeStdBase64(text)
}

/** Throws `InvalidInputTypeError` unless `value` is a `Uint8Array`. */
export function assertBytes(value: unknown, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array))
    throw new InvalidInputTypeError(`${what} must be a Uint8Array`)
}

/** Throws unless `value` is a 32-byte `Uint8Array` public key. */
export function assertPublicKey(value: unknown): asserts value is Uint8Array {
  assertBytes(value, 'public key')
  if (value.length !== 32) {
    throw new InvalidPublicKeyError(`public key must be 32 bytes, got ${value.length}`)
  }
}

/** Throws unless `value` is a 32-byte `Uint8Array` Ed25519 seed. */
export function assertSeed(value: unknown): asserts value is Uint8Array {
  assertBytes(value, 'seed')
  if (value.length !== 32) throw new InvalidSeedError(`seed must be 32 bytes, got ${value.length}`)
}

/** Throws unless `value` is a 64-byte `Uint8Array` signature. */
export function assertSignature(value: unknown): asserts value is Uint8Array {
  assertBytes(value, 'signature')
  if (value.length !== 64) {
    throw new InvalidSignatureLengthError(`signature must be 64 bytes, got ${value.length}`)
  }
}

/** Constant-time equality of two byte arrays (length leaks, contents do not). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false
  let diff = 0
  for (let i = 0; i < a.length; i++) diff |= (a[i] ?? 0) ^ (b[i] ?? 0)
  return diff === 0
}
