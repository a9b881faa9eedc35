/**
 * Random valid non-ASCII text for the fast-path differential tests: 2/3/4-byte UTF-8, U+FFFD,
 * U+FEFF, U+2028, noncharacters, C1 controls, lengths around the 12/13-byte short/long split, and
 * map keys close to one another. Never a `"`, a `\` or a control char (no escapes).
 */

export type Rand = () => number

export const pick = <T>(rand: Rand, xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)] as T
export const int = (rand: Rand, lo: number, hi: number) => lo + Math.floor(rand() * (hi - lo + 1))

/** Code points that are easy to get wrong. */
const SPECIAL = [
  0x80, 0x85, 0x9f, 0xa0, 0xa9, 0xc3, 0xe9, 0xff, 0x100, 0x7ff, 0x800, 0x2028, 0x2029, 0xd7ff,
  0xe000, 0xfdd0, 0xfeff, 0xfffd, 0xfffe, 0xffff, 0x10000, 0x1f600, 0x10fffe, 0x10ffff,
]

export function codePoint(rand: Rand): number {
  const r = rand()
  if (r < 0.3) {
    // Printable ASCII, never `"` or `\` (no escapes: the fast path must answer).
    const c = int(rand, 0x20, 0x7e)
    return c === 0x22 || c === 0x5c ? 0x41 : c
  }
  if (r < 0.5) return int(rand, 0x80, 0x7ff)
  if (r < 0.7) {
    const c = int(rand, 0x800, 0xffff)
    return c >= 0xd800 && c <= 0xdfff ? 0xfffd : c
  }
  if (r < 0.85) return int(rand, 0x10000, 0x10ffff)
  return pick(rand, SPECIAL)
}

function ascii(rand: Rand, n: number): string {
  let s = ''
  for (let i = 0; i < n; i++) s += String.fromCharCode(pick(rand, [0x61, 0x20, 0x7e, 0x7b, 0x3a]))
  return s
}

/** A random string without escapes, of about `bytes` UTF-8 bytes (up to 3 more). */
export function text(
  rand: Rand,
  bytes = pick(rand, [0, 1, 2, 3, 4, 11, 12, 13, 14, 15, 30, 70]),
): string {
  let s = ''
  // Sometimes one non-ASCII char after an ASCII run around the 12/13-byte split.
  if (rand() < 0.3) {
    s = ascii(rand, pick(rand, [0, 1, 10, 11, 12, 13, 14, 20]))
    return s + String.fromCodePoint(codePoint(rand) | 0x80) + ascii(rand, pick(rand, [0, 1, 12]))
  }
  while (Buffer.byteLength(s) < bytes) s += String.fromCodePoint(codePoint(rand))
  // Sometimes a non-ASCII char right before the closing quote, or a lone one.
  if (rand() < 0.2) s += String.fromCodePoint(pick(rand, SPECIAL))
  return s
}

/** A key that is close to `k`: its latin1 mojibake, NFD/NFC, a case variant, or `k` itself. */
export function nearKey(rand: Rand, k: string): string {
  switch (int(rand, 0, 4)) {
    case 0:
      return Buffer.from(k).toString('latin1')
    case 1:
      return k.normalize('NFD')
    case 2:
      return k.normalize('NFC')
    case 3:
      return k.toUpperCase()
    default:
      return pick(rand, ['0', '1', '10', '__proto__', 'constructor', 'é', 'e\u0301', 'Ã©', 'K'])
  }
}
