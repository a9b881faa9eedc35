/**
 * The cursor of the decode fast paths (`sync-event-fast.ts`, `fast-struct.ts`): reads plain keys,
 * escape-free strings, number literals and `true`/`false`/`null` straight from the text, and
 * answers `undefined` for anything it does not handle (the reference parser then decides).
 */
import { detach, isDigit } from './json-value.js'

const INT64_MAX = '9223372036854775807'
const INT64_MIN_ABS = '9223372036854775808'

/** Set by {@link stringEnd}: the string it found holds a character above ASCII. */
let wide = false

/**
 * The position of the closing quote of a JSON string with no escape, or -1 (escape, control
 * char, no end); sets {@link wide}.
 */
function stringEnd(t: string, start: number): number {
  // `start` is just after the opening quote. A run of plain ASCII first (one regex step, much
  // cheaper than a loop per character), then, past a wider character, a run of anything plain.
  ASCII_RUN.lastIndex = start
  ASCII_RUN.test(t)
  let i = ASCII_RUN.lastIndex
  let c = t.charCodeAt(i)
  if (c === 0x22) {
    wide = false
    return i
  }
  if (!(c > 0x7f)) return -1
  PLAIN_RUN.lastIndex = i
  PLAIN_RUN.test(t)
  i = PLAIN_RUN.lastIndex
  c = t.charCodeAt(i)
  if (c !== 0x22) return -1
  wide = true
  return i
}

/** Characters of a JSON string that need no escape and are ASCII (sticky: from `lastIndex`). */
const ASCII_RUN = /[\x20\x21\x23-\x5b\x5d-\x7f]*/y
/** Code units of a JSON string that need no escape (no quote, backslash or control). */
const PLAIN_RUN = /[\x20\x21\x23-\x5b\x5d-\uffff]*/y

export function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
    else return i
  }
}

/** Parser state shared by the helpers (one per call; no allocation beyond the result). */
export class Cursor {
  pos = 0
  /**
   * @param t the text
   * @param bytes the UTF-8 bytes `t` is the latin1 reading of (one character per byte, so text
   *   positions are byte positions; all-ASCII bytes read the same either way). A string with a
   *   byte above ASCII is then decoded from them as UTF-8, and a long one is copied straight out
   *   of them, never sharing `t`. Without `bytes`, `t` is the decoded text itself.
   */
  constructor(
    public t: string,
    public bytes?: Buffer,
  ) {}

  /** Starts over on another text. */
  reset(t: string, bytes: Buffer | undefined): void {
    this.t = t
    this.bytes = bytes
    this.pos = 0
  }

  /** The string value at `pos` (which must be a quote), or undefined. Moves past it. */
  str(): string | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x22) return undefined
    const start = this.pos + 1
    const end = stringEnd(t, start)
    if (end < 0) return undefined
    const bytes = this.bytes
    // A slice of 13+ chars would share `t` (see `detach`): one copy from the bytes instead.
    const s =
      bytes === undefined
        ? detach(t.slice(start, end))
        : wide
          ? bytes.toString('utf8', start, end)
          : end - start >= 13
            ? bytes.toString('latin1', start, end)
            : t.slice(start, end)
    this.pos = end + 1
    return s
  }

  /** The raw key at `pos` and the `:` after it; undefined when not a plain key. */
  key(): string | undefined {
    const t = this.t
    const start = this.pos + 1
    if (t.charCodeAt(this.pos) !== 0x22) return undefined
    const end = stringEnd(t, start)
    if (end < 0 || !this.colon(end + 1)) return undefined
    return wide && this.bytes !== undefined
      ? this.bytes.toString('utf8', start, end)
      : t.slice(start, end)
  }

  /**
   * The index in `names` of the plain key at `pos`, compared in place (no string is made), and
   * moves past the `:` after it; -1 when the key is not plain or not one of `names`.
   */
  keyIndex(names: readonly string[]): number {
    const t = this.t
    const start = this.pos + 1
    if (t.charCodeAt(this.pos) !== 0x22) return -1
    const end = stringEnd(t, start)
    if (end < 0) return -1
    const n = end - start
    for (let i = 0; i < names.length; i++) {
      const name = names[i] as string
      if (name.length === n && t.startsWith(name, start)) return this.colon(end + 1) ? i : -1
    }
    return -1
  }

  /**
   * Whether the key at `pos` is exactly `quoted` without its opening quote (`Key"`), followed by
   * `:`; then moves to the value. Compares in place: no string is made.
   */
  keyIs(quoted: string): boolean {
    const start = this.pos
    if (this.t.charCodeAt(start) !== 0x22 || !this.t.startsWith(quoted, start + 1)) return false
    if (this.colon(start + 1 + quoted.length)) return true
    this.pos = start
    return false
  }

  /** A `:` at `i` (after whitespace): moves past it and the whitespace after it. */
  colon(i: number): boolean {
    const t = this.t
    i = skipWs(t, i)
    if (t.charCodeAt(i) !== 0x3a) return false
    this.pos = skipWs(t, i + 1)
    return true
  }

  /**
   * After a member value: `,` (true, positioned at the next key) or `}` (false, past it).
   * Undefined on anything else.
   */
  next(): boolean | undefined {
    const t = this.t
    const i = skipWs(t, this.pos)
    const c = t.charCodeAt(i)
    if (c === 0x2c) {
      this.pos = skipWs(t, i + 1)
      return true
    }
    if (c === 0x7d) {
      this.pos = i + 1
      return false
    }
    return undefined
  }

  /** `{` then either `}` (false) or the first key's position (true); undefined otherwise. */
  open(): boolean | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x7b) return undefined
    const i = skipWs(t, this.pos + 1)
    if (t.charCodeAt(i) === 0x7d) {
      this.pos = i + 1
      return false
    }
    this.pos = i
    return true
  }

  /** A plain integer literal in the int64 range as a bigint. */
  int64(): bigint | undefined {
    const raw = this.number()
    if (raw === undefined) return undefined
    const neg = raw.charCodeAt(0) === 0x2d
    const n = raw.length - (neg ? 1 : 0)
    // A fraction or an exponent: the reference path decides (and refuses it for an int64).
    for (let i = raw.length - 1; i > 0; i--) {
      const c = raw.charCodeAt(i)
      if (c === 0x2e || c === 0x65 || c === 0x45) return undefined
    }
    // 19 digits (every nanosecond timestamp): same length, so text order is number order.
    if (n > 19 || (n === 19 && raw.slice(neg ? 1 : 0) > (neg ? INT64_MIN_ABS : INT64_MAX))) {
      return undefined
    }
    return BigInt(raw)
  }

  /** A number literal of strict JSON grammar, as its text (`-0`, `12`, `1.5e-7`...), or undefined. */
  number(): string | undefined {
    const t = this.t
    const start = this.pos
    let i = start
    if (t.charCodeAt(i) === 0x2d) i++
    const first = t.charCodeAt(i)
    if (first === 0x30) i++
    else if (first >= 0x31 && first <= 0x39) {
      do i++
      while (isDigit(t.charCodeAt(i)))
    } else return undefined
    if (t.charCodeAt(i) === 0x2e) {
      if (!isDigit(t.charCodeAt(++i))) return undefined
      do i++
      while (isDigit(t.charCodeAt(i)))
    }
    const e = t.charCodeAt(i)
    if (e === 0x65 || e === 0x45) {
      const sign = t.charCodeAt(++i)
      if (sign === 0x2b || sign === 0x2d) i++
      if (!isDigit(t.charCodeAt(i))) return undefined
      do i++
      while (isDigit(t.charCodeAt(i)))
    }
    this.pos = i
    return t.slice(start, i)
  }

  /** `true`, `false` or `null` at `pos` (moves past it), else undefined. */
  literal(): boolean | null | undefined {
    const t = this.t
    const c = t.charCodeAt(this.pos)
    const [word, value] = c === 0x74 ? LITERALS[0] : c === 0x66 ? LITERALS[1] : LITERALS[2]
    if (!t.startsWith(word, this.pos)) return undefined
    this.pos += word.length
    return value
  }
}

const LITERALS = [
  ['true', true],
  ['false', false],
  ['null', null],
] as const
