/**
 * The slow path of the JSON string scanner: a string that contains escapes (`\n`, `\u00e9`,
 * surrogate pairs...). Go's rules: a high surrogate not followed by an escaped low one, or a lone
 * low one, becomes U+FFFD.
 */
import { detach } from './json-value.js'

/** Reports a failure at `pos` (the caller throws; never returns). */
export type Fail = (pos: number, detail: string) => never

const SIMPLE_ESCAPES: Readonly<Record<number, string>> = {
  34: '"',
  92: '\\',
  47: '/',
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
}

function hex4(t: string, at: number, fail: Fail): number {
  let v = 0
  for (let k = 0; k < 4; k++) {
    const c = t.charCodeAt(at + k)
    let d: number
    if (c >= 0x30 && c <= 0x39) d = c - 0x30
    else if (c >= 0x61 && c <= 0x66) d = c - 0x57
    else if (c >= 0x41 && c <= 0x46) d = c - 0x37
    else return fail(at + k, 'invalid \\u escape')
    v = (v << 4) | d
  }
  return v
}

/** The text of a `\\u` escape at `i` (and of the escaped low surrogate after it), and its end. */
function unicodeEscape(t: string, i: number, fail: Fail): [string, number] {
  const u = hex4(t, i + 2, fail)
  i += 6
  if (u >= 0xd800 && u <= 0xdbff) {
    // A high surrogate must be followed by an escaped low surrogate; otherwise Go substitutes
    // U+FFFD (and so do we).
    if (t.charCodeAt(i) === 0x5c && t.charCodeAt(i + 1) === 0x75) {
      const v = hex4(t, i + 2, fail)
      if (v >= 0xdc00 && v <= 0xdfff) return [String.fromCharCode(u, v), i + 6]
    }
    return ['\ufffd', i]
  }
  if (u >= 0xdc00 && u <= 0xdfff) return ['\ufffd', i]
  return [String.fromCharCode(u), i]
}

/**
 * Continues the string that started at `start` (just after its quote) and holds a backslash at
 * `i`. Returns the decoded string and the position after its closing quote.
 */
export function escapedString(t: string, start: number, i: number, fail: Fail): [string, number] {
  const n = t.length
  let out = t.slice(start, i)
  let runStart = i
  for (;;) {
    if (i >= n) fail(i, 'unterminated string')
    const c = t.charCodeAt(i)
    if (c === 0x22) return [detach(out + t.slice(runStart, i)), i + 1]
    if (c < 0x20) fail(i, 'control character in string')
    if (c !== 0x5c) {
      i++
      continue
    }
    out += t.slice(runStart, i)
    const e = t.charCodeAt(i + 1)
    if (e === 0x75) {
      const [text, end] = unicodeEscape(t, i, fail)
      out += text
      i = end
    } else {
      const simple = SIMPLE_ESCAPES[e]
      if (simple === undefined) fail(i, 'invalid escape')
      out += simple
      i += 2
    }
    runStart = i
  }
}
