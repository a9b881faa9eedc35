/** The text forms the keyring accepts: base64 public keys and NaraID-shaped labels. */
import { isSplitSafe, parsePublicKeyBase64 } from '@nara/crypto'

/** A base64 Ed25519 public key: 44 characters ending in `=`, 32 bytes. */
export const KEY_B64 = /^[A-Za-z0-9+/]{43}=$/
/** A NaraID: base58 of a SHA-256, 43 or 44 characters (WIRE §3.5). */
const NARA_ID = /^[1-9A-HJ-NP-Za-km-z]{43,44}$/

/** True for a label shaped like a NaraID (such a text is never accepted as a name). */
export function looksLikeNaraId(label: string): boolean {
  return NARA_ID.test(label)
}

/** Decodes and checks a base64 public key (crypto's one key decoder: no weak keys). */
export function decodePublicKey(key: string): Uint8Array | undefined {
  return parsePublicKeyBase64(key) ?? undefined
}

/**
 * The base64 text of a key given as 32 raw bytes or as base64.
 * @throws TypeError for a malformed or weak key (a caller's mistake, not a message's)
 */
export function toBase64(key: Uint8Array | string): string {
  if (typeof key === 'string') {
    if (decodePublicKey(key) === undefined)
      throw new TypeError('public key must be base64 of a valid 32-byte Ed25519 key')
    return key
  }
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError('public key must be 32 bytes')
  }
  return Buffer.from(key).toString('base64')
}

/** The refusal of a name shaped like a NaraID (names and IDs must never be confused). */
export const REFUSED_NAME = Object.freeze({
  status: 'refused',
  reason: 'a name must not look like a NaraID',
} as const)

/** The refusal of a name with `:` (signed strings join fields with `:`; it would re-split them). */
export const REFUSED_COLON = Object.freeze({
  status: 'refused',
  reason: 'a name must not contain ":"',
} as const)

/** Why `name` can never be pinned, or `undefined` when it can. */
export function refusedName(name: string): typeof REFUSED_NAME | typeof REFUSED_COLON | undefined {
  if (looksLikeNaraId(name)) return REFUSED_NAME
  return isSplitSafe(name) ? undefined : REFUSED_COLON
}
