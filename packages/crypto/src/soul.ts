/**
 * Souls (WIRE §3.1): 40 secret bytes, `seed(32) || tag(8)`, written as Bitcoin base58 (54–55
 * characters). The tag bonds the seed to a name: `HMAC-SHA256(key = seed, "nara:name:v2:" +
 * name)[0..8]`. The seed is also the Ed25519 private seed, so a soul is a secret.
 */
import { randomBytes } from 'node:crypto'
import { hmac } from '@noble/hashes/hmac.js'
import { sha256 } from '@noble/hashes/sha2.js'
import { decodeBase58, encodeBase58 } from './base58.js'
import { assertBytes, concatBytes, constantTimeEqual, utf8 } from './bytes.js'
import { InvalidBase58Error, InvalidInputTypeError, InvalidSoulError } from './errors.js'
import { nameFromSoul } from './names.js'

/** Bytes in a soul seed (also the Ed25519 seed). */
export const SEED_LENGTH = 32
/** Bytes in a bond tag. */
export const TAG_LENGTH = 8
/** Bytes in a decoded soul. */
export const SOUL_LENGTH = SEED_LENGTH + TAG_LENGTH

/** A decoded soul. Treat as secret: `seed` is the Ed25519 private seed. */
export interface Soul {
  /** 32-byte seed. */
  readonly seed: Uint8Array
  /** 8-byte bond tag. */
  readonly tag: Uint8Array
}

/** A source of `n` random bytes (injected for tests; defaults to `crypto.randomBytes`). */
export type RandomBytes = (n: number) => Uint8Array

/** Builds a soul from seed and tag, checking both lengths. */
export function soulFromParts(seed: Uint8Array, tag: Uint8Array): Soul {
  assertBytes(seed, 'soul seed')
  assertBytes(tag, 'soul tag')
  if (seed.length !== SEED_LENGTH || tag.length !== TAG_LENGTH) {
    throw new InvalidSoulError('soul seed must be 32 bytes and tag 8 bytes')
  }
  return Object.freeze({ seed: Uint8Array.from(seed), tag: Uint8Array.from(tag) })
}

/** Builds a soul from its 40 raw bytes. */
export function soulFromBytes(bytes: Uint8Array): Soul {
  assertBytes(bytes, 'soul bytes')
  if (bytes.length !== SOUL_LENGTH) {
    throw new InvalidSoulError(`invalid soul length: got ${bytes.length} bytes, expected 40`)
  }
  return soulFromParts(bytes.subarray(0, SEED_LENGTH), bytes.subarray(SEED_LENGTH))
}

/** The 40 raw bytes `seed || tag`. */
export function soulBytes(soul: Soul): Uint8Array {
  return concatBytes(soul.seed, soul.tag)
}

/**
 * Parses soul text. Throws `InvalidSoulError` unless it base58-decodes to exactly 40 bytes
 * (a character outside the alphabet counts as a decode failure, as in Go).
 */
export function parseSoul(text: string): Soul {
  if (typeof text !== 'string') throw new InvalidInputTypeError('soul text must be a string')
  let bytes: Uint8Array
  try {
    bytes = decodeBase58(text)
  } catch (err) {
    if (err instanceof InvalidBase58Error)
      throw new InvalidSoulError('invalid soul length: not base58')
    throw err
  }
  return soulFromBytes(bytes)
}

/** Base58 text of a soul (Go `FormatSoul`). */
export function encodeSoul(soul: Soul): string {
  return encodeBase58(soulBytes(soul))
}

/** `HMAC-SHA256(key = seed, "nara:name:v2:" + name)[0..8]` (Go `ComputeTag`). */
export function bondTag(seed: Uint8Array, name: string): Uint8Array {
  assertBytes(seed, 'seed')
  return hmac(sha256, seed, utf8(`nara:name:v2:${name}`)).slice(0, TAG_LENGTH)
}

/** Whether `soul` is bonded to `name`: non-empty name and a constant-time tag match. */
export function validateBond(soul: Soul, name: string): boolean {
  if (name === '') return false
  return constantTimeEqual(soul.tag, bondTag(soul.seed, name))
}

/** A soul whose tag bonds `seed` to `name`. */
export function soulForName(seed: Uint8Array, name: string): Soul {
  return soulFromParts(seed, bondTag(seed, name))
}

/**
 * A fresh random soul. With a `name`, the soul is bonded to it; without (or with `""`), the name
 * is the soul's generated name (`nameFromSoul`), as a Go nara in generated-name mode would pick.
 */
export function generateSoul(
  name?: string,
  random: RandomBytes = (n) => new Uint8Array(randomBytes(n)),
): { soul: Soul; name: string } {
  const seed = random(SEED_LENGTH)
  assertBytes(seed, 'random seed')
  if (seed.length !== SEED_LENGTH) throw new InvalidSoulError('random source returned wrong length')
  if (name !== undefined && name !== '') return { soul: soulForName(seed, name), name }
  const generated = nameFromSoul({ seed, tag: new Uint8Array(TAG_LENGTH) })
  return { soul: soulForName(seed, generated), name: generated }
}
