/**
 * Go `encoding/json` output primitives: string escaping, float and integer formatting, map-key
 * ordering. Every encoder in this package builds its bytes from these helpers.
 */
import { InvalidFloatError, InvalidInputTypeError, InvalidIntegerError } from './errors.js'

// biome-ignore lint/suspicious/noControlCharactersInRegex: the control range is exactly what we look for
const NEEDS_ESCAPE = /["\\\u0000-\u001f<>&\u2028\u2029\ud800-\udfff]/

/**
 * Escapes of the C0 control characters as Go >= 1.22 writes them (`\b` and `\f` short forms were
 * added in Go 1.22; upstream builds with Go 1.25). Go <= 1.21 wrote `\u0008` and `\u000c`.
 */
const CONTROL_ESCAPES: readonly string[] = Array.from({ length: 0x20 }, (_, c) => {
  switch (c) {
    case 0x08:
      return '\\b'
    case 0x09:
      return '\\t'
    case 0x0a:
      return '\\n'
    case 0x0c:
      return '\\f'
    case 0x0d:
      return '\\r'
    default:
      return `\\u00${c.toString(16).padStart(2, '0')}`
  }
})

/**
 * Encodes a string exactly as Go's `json.Marshal` does: `"` and `\` escaped, control characters
 * as `\n` `\r` `\t` `\b` `\f` or `\u00xx`, `<` `>` `&` as `\u003c` `\u003e` `\u0026`, U+2028/U+2029
 * as `\u2028`/`\u2029`; `/` and all other characters (emoji included) are written raw. A lone UTF-16
 * surrogate (the JS analogue of invalid UTF-8) becomes `\ufffd`, as Go writes for invalid bytes.
 */
export function goJsonString(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`
  let out = '"'
  let last = 0
  const n = s.length
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i)
    let rep: string | undefined
    if (c < 0x20) rep = CONTROL_ESCAPES[c]
    else if (c === 0x22) rep = '\\"'
    else if (c === 0x5c) rep = '\\\\'
    else if (c === 0x3c) rep = '\\u003c'
    else if (c === 0x3e) rep = '\\u003e'
    else if (c === 0x26) rep = '\\u0026'
    else if (c === 0x2028) rep = '\\u2028'
    else if (c === 0x2029) rep = '\\u2029'
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = i + 1 < n ? s.charCodeAt(i + 1) : 0
      if (d >= 0xdc00 && d <= 0xdfff) {
        i++
        continue
      }
      rep = '\\ufffd'
    } else if (c >= 0xdc00 && c <= 0xdfff) rep = '\\ufffd'
    if (rep !== undefined) {
      out += s.slice(last, i) + rep
      last = i + 1
    }
  }
  return `${out + s.slice(last)}"`
}

/**
 * Formats a float64 as Go's encoder does: shortest round-trip digits, exponent form only below
 * 1e-6 or from 1e21 up (`1e-7`, `1e+21`), integral values without `.0`, `-0` kept. This is the
 * same text as `Number#toString` except for `-0`. NaN and infinities throw a `RangeError`
 * (Go returns an `UnsupportedValueError`).
 */
export function goJsonFloat(n: number): string {
  if (typeof n !== 'number') throw new InvalidInputTypeError('goJsonFloat: expected a number')
  if (!Number.isFinite(n))
    throw new InvalidFloatError(`goJsonFloat: ${n} is not representable in JSON`)
  if (n === 0 && Object.is(n, -0)) return '-0'
  return String(n)
}

/** Formats a Go integer field held as a JS number (a safe integer) or a bigint (int64 range). */
export function goJsonInt(n: number | bigint, field: string): string {
  if (typeof n === 'bigint') return goJsonInt64(n, field)
  if (!Number.isSafeInteger(n)) {
    throw new InvalidIntegerError(`${field}: expected a safe integer, got ${String(n)}`)
  }
  return n === 0 ? '0' : String(n)
}

/**
 * Formats an unsigned Go integer field (`uint64`, `uint32` with `max`) held as a JS number (a
 * safe integer) or, for a wide `uint64`, a bigint up to 2^64 - 1.
 */
export function goJsonUint(
  n: number | bigint,
  field: string,
  max: number | bigint = Number.MAX_SAFE_INTEGER,
): string {
  if (typeof n === 'bigint') {
    if (n < 0n || n > BigInt(max)) {
      throw new InvalidIntegerError(`${field}: expected an unsigned integer <= ${max}, got ${n}`)
    }
    return n.toString()
  }
  if (!Number.isSafeInteger(n) || n < 0 || n > max) {
    throw new InvalidIntegerError(
      `${field}: expected an unsigned integer <= ${max}, got ${String(n)}`,
    )
  }
  return n === 0 ? '0' : String(n)
}

export const INT64_MIN = -(2n ** 63n)
export const INT64_MAX = 2n ** 63n - 1n
export const UINT64_MAX = 2n ** 64n - 1n

/** Formats an `int64` held as a bigint (nanosecond timestamps): plain decimal digits. */
export function goJsonInt64(n: bigint, field: string): string {
  if (typeof n !== 'bigint') throw new InvalidInputTypeError(`${field}: expected a bigint`)
  if (n < INT64_MIN || n > INT64_MAX)
    throw new InvalidIntegerError(`${field}: outside the int64 range`)
  return n.toString()
}

/** Go's `omitempty` test for a bool, number or string. */
export function isGoEmpty(v: string | number | boolean | undefined | null): boolean {
  return v === undefined || v === null || v === '' || v === 0 || v === false
}

/**
 * Compares two strings by the byte order of their UTF-8 encodings (= code point order), which is
 * how Go sorts map keys. Plain `<` compares UTF-16 code units and differs above U+FFFF.
 */
export function compareUtf8(a: string, b: string): number {
  const n = Math.min(a.length, b.length)
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x !== y) {
      if (x >= 0xd800) x = x >= 0xe000 ? x - 0x800 : x + 0x2000
      if (y >= 0xd800) y = y >= 0xe000 ? y - 0x800 : y + 0x2000
      return x - y
    }
  }
  return a.length - b.length
}

/**
 * Writes a Go map as JSON: keys sorted by UTF-8 bytes, each value rendered by `writeValue`.
 * `null`/`undefined` become `null` (a nil map).
 */
export function goJsonMap<T>(
  map: Readonly<Record<string, T>> | null | undefined,
  writeValue: (v: T, key: string) => string,
): string {
  if (map === null || map === undefined) return 'null'
  const keys = Object.keys(map)
  if (keys.length === 0) return '{}'
  keys.sort(compareUtf8)
  let out = '{'
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!
    if (i > 0) out += ','
    out += `${goJsonString(k)}:${writeValue(map[k] as T, k)}`
  }
  return `${out}}`
}

/** Writes a Go slice: `null` for a nil slice, otherwise `[...]` (possibly `[]`). */
export function goJsonSlice<T>(
  list: readonly T[] | null | undefined,
  writeItem: (v: T, index: number) => string,
): string {
  if (list === null || list === undefined) return 'null'
  let out = '['
  for (let i = 0; i < list.length; i++) {
    if (i > 0) out += ','
    out += writeItem(list[i] as T, i)
  }
  return `${out}]`
}

/** Number of bytes of the UTF-8 encoding of `s.slice(from, to)` (well-formed input assumed). */
export function utf8Length(s: string, from = 0, to = s.length): number {
  let n = 0
  for (let i = from; i < to; i++) {
    const c = s.charCodeAt(i)
    if (c < 0x80) n += 1
    else if (c < 0x800) n += 2
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < to) {
      const d = s.charCodeAt(i + 1)
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 4
        i++
      } else n += 3
    } else n += 3
  }
  return n
}
