/**
 * SHA-256 backends. A SyncEvent costs two SHA-256s (event ID and signing digest) before its
 * signature can be checked, so on Node the hot path hashes natively:
 *
 * - `nobleSha256`: `@noble/hashes` in JS, portable, the default;
 * - `nodeSha256`: `node:crypto`'s one-shot `hash('sha256', data)` (Node >= 20.12; falls back to
 *   `createHash` when `hash` is missing). Several times faster than JS for short inputs.
 *
 * The `node` and `sodium` Ed25519 backends carry `nodeSha256` as their `sha256`: both only run
 * on Node, and the one-shot `hash` measured faster than sodium-native's `crypto_hash_sha256`
 * (one N-API call plus a UTF-8 copy) for the ~100-byte SyncEvent preimages.
 */
import * as nodeCrypto from 'node:crypto'
import { sha256 as nobleSha256Fn } from '@noble/hashes/sha2.js'
import { toHex, utf8 } from '../bytes.js'

/** Names of the built-in SHA-256 backends. */
export type Sha256BackendName = 'noble' | 'node'

/** A synchronous SHA-256. Strings are hashed as their UTF-8 bytes. */
export interface Sha256Backend {
  /** Which implementation this is. */
  readonly name: Sha256BackendName
  /** The 32-byte digest of `data` (a string is UTF-8 encoded first). */
  digest(data: Uint8Array | string): Uint8Array
  /** Lowercase hex (64 chars) of the digest of `data`. */
  hex(data: Uint8Array | string): string
  /**
   * The digest of `data` as a `latin1` string (one char per byte), where the backend makes that
   * cheaper than an array: a receiver that only compares or copies the bytes needs no array.
   */
  digestLatin1?(data: Uint8Array): string
}

/** `@noble/hashes` SHA-256 (pure JS). */
export const nobleSha256: Sha256Backend = Object.freeze({
  name: 'noble' as const,
  digest(data: Uint8Array | string): Uint8Array {
    return nobleSha256Fn(typeof data === 'string' ? utf8(data) : data)
  },
  hex(data: Uint8Array | string): string {
    return toHex(nobleSha256Fn(typeof data === 'string' ? utf8(data) : data))
  },
})

type OneShotHash = (algorithm: string, data: Uint8Array | string, encoding: string) => unknown
const oneShot = (nodeCrypto as unknown as { hash?: OneShotHash }).hash

/**
 * 32 digest bytes out of the one-shot hash's `latin1` string (one char per byte). Node builds a
 * `'buffer'` result through a fresh C++ backing store, which costs twice the hash itself for a
 * ~100-byte SyncEvent preimage; a string result plus this copy into a small on-heap array does not.
 */
function latin1Bytes(s: string): Uint8Array {
  const out = new Uint8Array(32)
  for (let i = 0; i < 32; i++) out[i] = s.charCodeAt(i)
  return out
}

/** `node:crypto` SHA-256 (OpenSSL), one-shot `hash()` where Node has it. */
export const nodeSha256: Sha256Backend = Object.freeze({
  name: 'node' as const,
  digest(data: Uint8Array | string): Uint8Array {
    if (oneShot !== undefined) return latin1Bytes(oneShot('sha256', data, 'latin1') as string)
    return nodeCrypto.createHash('sha256').update(data).digest()
  },
  hex(data: Uint8Array | string): string {
    if (oneShot !== undefined) return oneShot('sha256', data, 'hex') as string
    return nodeCrypto.createHash('sha256').update(data).digest('hex')
  },
  ...(oneShot === undefined
    ? {}
    : { digestLatin1: (data: Uint8Array) => oneShot('sha256', data, 'latin1') as string }),
})
