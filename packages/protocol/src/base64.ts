/**
 * Standard base64 with `=` padding (Go's `base64.StdEncoding`), strict: the URL-safe alphabet,
 * missing padding, whitespace, non-zero trailing bits and any other character are refused.
 * Used for public keys (32 bytes) and signatures (64 bytes).
 */

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const DECODE = new Int16Array(128).fill(-1)
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i

function sextet(s: string, i: number): number {
  const c = s.charCodeAt(i)
  return c < 128 ? DECODE[c]! : -1
}

/**
 * Decodes standard padded base64, or returns `null` for anything Go's `StdEncoding.DecodeString`
 * would reject (plus non-canonical trailing bits, which Go's strict mode also rejects; Go's
 * default mode ignores `\r`/`\n`, we do not).
 */
export function decodeStdBase64(s: string): Uint8Array | null {
  if (typeof s !== 'string' || s.length % 4 !== 0) return null
  const n = s.length
  if (n === 0) return new Uint8Array(0)
  let pad = 0
  if (s.charCodeAt(n - 1) === 0x3d) pad = s.charCodeAt(n - 2) === 0x3d ? 2 : 1
  const out = new Uint8Array((n / 4) * 3 - pad)
  let o = 0
  for (let i = 0; i < n; i += 4) {
    const last = i + 4 === n
    const a = sextet(s, i)
    const b = sextet(s, i + 1)
    if (a < 0 || b < 0) return null
    if (last && pad === 2) {
      if ((b & 0x0f) !== 0) return null
      out[o++] = (a << 2) | (b >> 4)
      break
    }
    const c = sextet(s, i + 2)
    if (c < 0) return null
    if (last && pad === 1) {
      if ((c & 0x03) !== 0) return null
      out[o++] = (a << 2) | (b >> 4)
      out[o++] = ((b & 0x0f) << 4) | (c >> 2)
      break
    }
    const d = sextet(s, i + 3)
    if (d < 0) return null
    out[o++] = (a << 2) | (b >> 4)
    out[o++] = ((b & 0x0f) << 4) | (c >> 2)
    out[o++] = ((c & 0x03) << 6) | d
  }
  return out
}

/** Encodes bytes as standard padded base64. */
export function encodeStdBase64(bytes: Uint8Array): string {
  let out = ''
  const n = bytes.length
  let i = 0
  for (; i + 2 < n; i += 3) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!
    out +=
      ALPHABET[v >> 18]! + ALPHABET[(v >> 12) & 63]! + ALPHABET[(v >> 6) & 63]! + ALPHABET[v & 63]!
  }
  if (n - i === 1) {
    const v = bytes[i]! << 16
    out += `${ALPHABET[v >> 18]!}${ALPHABET[(v >> 12) & 63]!}==`
  } else if (n - i === 2) {
    const v = (bytes[i]! << 16) | (bytes[i + 1]! << 8)
    out += `${ALPHABET[v >> 18]!}${ALPHABET[(v >> 12) & 63]!}${ALPHABET[(v >> 6) & 63]!}=`
  }
  return out
}
