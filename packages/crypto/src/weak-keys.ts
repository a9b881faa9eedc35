/**
 * Public keys no honest nara has: the small-order points of edwards25519 (the identity, and the
 * points of order 2, 4 and 8) and non-canonical encodings (y ≥ p). With such a key, some
 * Ed25519 implementations accept a forged signature for ANY message (node's OpenSSL accepts the
 * identity key with an all-zero signature, noble and sodium refuse), so the backends would
 * disagree. Every key that reaches a verifier goes through {@link isWeakPublicKey} first.
 *
 * The list is libsodium's `has_small_order` block list: the encodings are compared with the
 * sign bit (bit 255) cleared, which also covers the negated and non-canonical variants.
 * Mixed-order keys (a valid key plus a torsion component) are not detected (that needs a
 * scalar multiplication); Go accepts them too, and they do not let anyone forge.
 */

const SMALL_ORDER: readonly Uint8Array[] = [
  // 0 (order 4)
  new Uint8Array(32),
  // 1 (order 1, the identity)
  Uint8Array.from([1, ...new Array(31).fill(0)]),
  // order 8
  Uint8Array.from([
    0x26, 0xe8, 0x95, 0x8f, 0xc2, 0xb2, 0x27, 0xb0, 0x45, 0xc3, 0xf4, 0x89, 0xf2, 0xef, 0x98, 0xf0,
    0xd5, 0xdf, 0xac, 0x05, 0xd3, 0xc6, 0x33, 0x39, 0xb1, 0x38, 0x02, 0x88, 0x6d, 0x53, 0xfc, 0x05,
  ]),
  // order 8
  Uint8Array.from([
    0xc7, 0x17, 0x6a, 0x70, 0x3d, 0x4d, 0xd8, 0x4f, 0xba, 0x3c, 0x0b, 0x76, 0x0d, 0x10, 0x67, 0x0f,
    0x2a, 0x20, 0x53, 0xfa, 0x2c, 0x39, 0xcc, 0xc6, 0x4e, 0xc7, 0xfd, 0x77, 0x92, 0xac, 0x03, 0x7a,
  ]),
  // p - 1 (order 2)
  Uint8Array.from([0xec, ...new Array(30).fill(0xff), 0x7f]),
  // p (= 0, non-canonical)
  Uint8Array.from([0xed, ...new Array(30).fill(0xff), 0x7f]),
  // p + 1 (= 1, non-canonical)
  Uint8Array.from([0xee, ...new Array(30).fill(0xff), 0x7f]),
]

/** True when the 255-bit y coordinate of `key` is ≥ p = 2^255 - 19 (a non-canonical encoding). */
function isNonCanonicalY(key: Uint8Array): boolean {
  if (((key[31] ?? 0) & 0x7f) !== 0x7f) return false
  for (let i = 30; i >= 1; i--) if (key[i] !== 0xff) return false
  return (key[0] ?? 0) >= 0xed
}

/**
 * True for a 32-byte public key that must never verify anything: a small-order point or a
 * non-canonical encoding. Cheap (byte comparisons only).
 */
export function isWeakPublicKey(key: Uint8Array): boolean {
  if (key.length !== 32) return true
  if (isNonCanonicalY(key)) return true
  for (const bad of SMALL_ORDER) {
    let diff = ((key[31] ?? 0) & 0x7f) ^ (bad[31] ?? 0)
    for (let i = 0; i < 31; i++) diff |= (key[i] ?? 0) ^ (bad[i] ?? 0)
    if (diff === 0) return true
  }
  return false
}
