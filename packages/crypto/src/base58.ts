/**
 * Bitcoin-alphabet base58, as `github.com/btcsuite/btcutil/base58` v1.0.2 (WIRE §3): each leading
 * 0x00 byte encodes as `1` and each leading `1` decodes to 0x00. Used for souls and NaraIDs.
 */
import { assertBytes } from './bytes.js'
import { InvalidBase58Error, InvalidInputTypeError } from './errors.js'

const ALPHABET = '123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz'
const INDEX = new Map<string, number>([...ALPHABET].map((c, i) => [c, i]))

/** Base58 text of `bytes`. */
export function encodeBase58(bytes: Uint8Array): string {
  assertBytes(bytes, 'base58 input')
  let zeros = 0
  while (zeros < bytes.length && bytes[zeros] === 0) zeros++
  // Little-endian base-58 digits of the big-endian number.
  const digits: number[] = []
  for (let i = zeros; i < bytes.length; i++) {
    let carry = bytes[i] ?? 0
    for (let j = 0; j < digits.length; j++) {
      carry += (digits[j] ?? 0) << 8
      digits[j] = carry % 58
      carry = (carry / 58) | 0
    }
    while (carry > 0) {
      digits.push(carry % 58)
      carry = (carry / 58) | 0
    }
  }
  let out = '1'.repeat(zeros)
  for (let i = digits.length - 1; i >= 0; i--) out += ALPHABET[digits[i] ?? 0]
  return out
}

/**
 * Bytes of base58 `text`. Throws `InvalidBase58Error` on a character outside the alphabet (where
 * btcutil returns an empty slice, which every caller then treats as invalid).
 */
export function decodeBase58(text: string): Uint8Array {
  if (typeof text !== 'string') throw new InvalidInputTypeError('base58 input must be a string')
  let ones = 0
  while (ones < text.length && text[ones] === '1') ones++
  const bytes: number[] = [] // little-endian base-256 digits
  for (let i = ones; i < text.length; i++) {
    const value = INDEX.get(text[i] as string)
    if (value === undefined) throw new InvalidBase58Error('invalid base58 character')
    let carry = value
    for (let j = 0; j < bytes.length; j++) {
      carry += (bytes[j] ?? 0) * 58
      bytes[j] = carry & 0xff
      carry >>= 8
    }
    while (carry > 0) {
      bytes.push(carry & 0xff)
      carry >>= 8
    }
  }
  const out = new Uint8Array(ones + bytes.length)
  for (let i = 0; i < bytes.length; i++) out[ones + i] = bytes[bytes.length - 1 - i] ?? 0
  return out
}
