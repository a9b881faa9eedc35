/**
 * NaraID (WIRE §3.5): `b58(sha256(soulBytes40 || utf8(name)))`. Only the soul's owner can
 * compute or check it; to everyone else an ID is an opaque label.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { encodeBase58 } from './base58.js'
import { concatBytes, utf8 } from './bytes.js'
import { parseSoul, type Soul, soulBytes } from './soul.js'

/** The NaraID of `soul` (a decoded soul or its base58 text) under `name`. */
export function computeNaraId(soul: Soul | string, name: string): string {
  const decoded = typeof soul === 'string' ? parseSoul(soul) : soul
  return encodeBase58(sha256(concatBytes(soulBytes(decoded), utf8(name))))
}
