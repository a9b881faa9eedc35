/**
 * The cursor of the SyncEvent fast path (`sync-event-fast.ts`): reads plain keys, escape-free
 * strings and int64 literals straight from the text, and answers `undefined` for anything it
 * does not handle (the reference parser then decides).
 */
import { detach, isDigit } from './json-value.js'

const INT64_MAX = '9223372036854775807'
const INT64_MIN_ABS = '9223372036854775808'

/** A text position past a JSON string with no escape, or -1 (escape, control char, no end). */
function stringEnd(t: string, start: number): number {
  // `start` is just after the opening quote.
  for (let i = start; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c === 0x22) return i
    if (c === 0x5c || c < 0x20) return -1
  }
  return -1
}

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
  constructor(readonly t: string) {}

  /** The string value at `pos` (which must be a quote), or undefined. Moves past it. */
  str(): string | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x22) return undefined
    const end = stringEnd(t, this.pos + 1)
    if (end < 0) return undefined
    const s = detach(t.slice(this.pos + 1, end))
    this.pos = end + 1
    return s
  }

  /** The raw key at `pos` and the `:` after it; undefined when not a plain key. */
  key(): string | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x22) return undefined
    const end = stringEnd(t, this.pos + 1)
    if (end < 0) return undefined
    const k = t.slice(this.pos + 1, end)
    let i = skipWs(t, end + 1)
    if (t.charCodeAt(i) !== 0x3a) return undefined
    i = skipWs(t, i + 1)
    this.pos = i
    return k
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
    const t = this.t
    const start = this.pos
    let i = start
    if (t.charCodeAt(i) === 0x2d) i++
    const digits = i
    const first = t.charCodeAt(i)
    if (first === 0x30) i++
    else if (first >= 0x31 && first <= 0x39) {
      do i++
      while (isDigit(t.charCodeAt(i)))
    } else return undefined
    const n = i - digits
    if (n > 19) return undefined
    // 19 digits (every nanosecond timestamp): same length, so text order is number order.
    if (n === 19 && t.slice(digits, i) > (digits === start ? INT64_MAX : INT64_MIN_ABS)) {
      return undefined
    }
    const c = t.charCodeAt(i)
    // A fraction or an exponent: the reference path decides (and refuses it for an int64).
    if (c === 0x2e || c === 0x65 || c === 0x45) return undefined
    this.pos = i
    return BigInt(t.slice(start, i))
  }
}
