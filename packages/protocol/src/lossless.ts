/**
 * A small strict JSON parser (RFC 8259, like Go's scanner) that keeps number literals as text so
 * int64 nanosecond timestamps survive exactly, rejects duplicate keys, bounds nesting depth, and can
 * report where each top-level value sits in the text (for the newspaper `Status` raw bytes).
 *
 * It never throws on bad input: `parseJson` returns `{ ok: false, detail }`.
 */
import { escapedString } from './json-escapes.js'
import { detach, isDigit, JsonNumber, JsonObject, type JsonValue } from './json-value.js'

export { JsonNumber, JsonObject, type JsonValue } from './json-value.js'

/** `[start, end)` UTF-16 offsets of each top-level object member's value. */
export type TopLevelSpans = Record<string, readonly [number, number]>

export type ParseJsonResult =
  | { ok: true; value: JsonValue; spans: TopLevelSpans | undefined }
  | { ok: false; detail: string }

export interface ParseJsonOptions {
  /** Maximum nesting of arrays/objects (default 64; Go allows 10000). */
  maxDepth?: number
  /** Record the offsets of the top-level object's member values. */
  captureSpans?: boolean
}

export const DEFAULT_MAX_DEPTH = 64

class ParseError {
  constructor(readonly detail: string) {}
}

/** Parses `text` strictly. Never throws. */
export function parseJson(text: string, options?: ParseJsonOptions): ParseJsonResult {
  const p = new Parser(text, options?.maxDepth ?? DEFAULT_MAX_DEPTH, options?.captureSpans === true)
  try {
    p.skipWs()
    const value = p.value(0)
    p.skipWs()
    if (p.pos !== text.length) p.fail('trailing data after the top-level value')
    return { ok: true, value, spans: p.spans }
  } catch (err) {
    if (err instanceof ParseError) return { ok: false, detail: err.detail }
    // RangeError (call stack) cannot happen thanks to maxDepth, but never let anything escape.
    return { ok: false, detail: 'unparseable JSON' }
  }
}

class Parser {
  pos = 0
  spans: TopLevelSpans | undefined
  constructor(
    readonly text: string,
    readonly maxDepth: number,
    readonly captureSpans: boolean,
  ) {}

  fail(detail: string): never {
    throw new ParseError(`${detail} at offset ${this.pos}`)
  }

  skipWs(): void {
    const t = this.text
    let i = this.pos
    for (;;) {
      const c = t.charCodeAt(i)
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
      else break
    }
    this.pos = i
  }

  value(depth: number): JsonValue {
    const c = this.text.charCodeAt(this.pos)
    switch (c) {
      case 0x7b: // {
        return this.object(depth + 1)
      case 0x5b: // [
        return this.array(depth + 1)
      case 0x22: // "
        return this.string()
      case 0x74: // t
        return this.literal('true', true)
      case 0x66: // f
        return this.literal('false', false)
      case 0x6e: // n
        return this.literal('null', null)
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number()
        return this.fail(Number.isNaN(c) ? 'unexpected end of input' : 'unexpected character')
    }
  }

  literal<T>(word: string, v: T): T {
    if (this.text.startsWith(word, this.pos)) {
      this.pos += word.length
      return v
    }
    return this.fail('invalid literal')
  }

  object(depth: number): JsonObject {
    if (depth > this.maxDepth) this.fail('nesting too deep')
    const t = this.text
    const keys: string[] = []
    const values: JsonValue[] = []
    let seen: Set<string> | undefined
    const spans: Record<string, [number, number]> | undefined =
      depth === 1 && this.captureSpans ? Object.create(null) : undefined
    this.pos++
    this.skipWs()
    if (t.charCodeAt(this.pos) === 0x7d) {
      this.pos++
      if (spans) this.spans = spans
      return new JsonObject(keys, values)
    }
    for (;;) {
      if (t.charCodeAt(this.pos) !== 0x22) this.fail('expected a string key')
      const key = this.string()
      this.skipWs()
      if (t.charCodeAt(this.pos) !== 0x3a) this.fail('expected ":"')
      this.pos++
      this.skipWs()
      // Duplicate check: linear for small objects, a Set beyond 16 keys (no quadratic blow-up).
      if (seen !== undefined) {
        if (seen.has(key)) this.fail('duplicate key')
        seen.add(key)
      } else if (keys.indexOf(key) >= 0) this.fail('duplicate key')
      else if (keys.length === 16) seen = new Set([...keys, key])
      const start = this.pos
      keys.push(key)
      values.push(this.value(depth))
      if (spans) spans[key] = [start, this.pos]
      this.skipWs()
      const c = t.charCodeAt(this.pos)
      if (c === 0x2c) {
        this.pos++
        this.skipWs()
      } else if (c === 0x7d) {
        this.pos++
        if (spans) this.spans = spans
        return new JsonObject(keys, values)
      } else this.fail('expected "," or "}"')
    }
  }

  array(depth: number): JsonValue[] {
    if (depth > this.maxDepth) this.fail('nesting too deep')
    const t = this.text
    const arr: JsonValue[] = []
    this.pos++
    this.skipWs()
    if (t.charCodeAt(this.pos) === 0x5d) {
      this.pos++
      return arr
    }
    for (;;) {
      arr.push(this.value(depth))
      this.skipWs()
      const c = t.charCodeAt(this.pos)
      if (c === 0x2c) {
        this.pos++
        this.skipWs()
      } else if (c === 0x5d) {
        this.pos++
        return arr
      } else this.fail('expected "," or "]"')
    }
  }

  number(): JsonNumber {
    const t = this.text
    const start = this.pos
    let i = start
    if (t.charCodeAt(i) === 0x2d) i++
    let c = t.charCodeAt(i)
    if (c === 0x30) i++
    else if (c >= 0x31 && c <= 0x39) {
      do i++
      while (isDigit(t.charCodeAt(i)))
    } else {
      this.pos = i
      this.fail('invalid number')
    }
    c = t.charCodeAt(i)
    if (c === 0x2e) {
      i++
      if (!isDigit(t.charCodeAt(i))) {
        this.pos = i
        this.fail('invalid number')
      }
      do i++
      while (isDigit(t.charCodeAt(i)))
      c = t.charCodeAt(i)
    }
    if (c === 0x65 || c === 0x45) {
      i++
      c = t.charCodeAt(i)
      if (c === 0x2b || c === 0x2d) i++
      if (!isDigit(t.charCodeAt(i))) {
        this.pos = i
        this.fail('invalid number')
      }
      do i++
      while (isDigit(t.charCodeAt(i)))
    }
    this.pos = i
    return new JsonNumber(detach(t.slice(start, i)))
  }

  string(): string {
    const t = this.text
    const n = t.length
    const start = this.pos + 1
    let i = start
    for (;;) {
      if (i >= n) {
        this.pos = i
        this.fail('unterminated string')
      }
      const c = t.charCodeAt(i)
      if (c === 0x22) {
        this.pos = i + 1
        return detach(t.slice(start, i))
      }
      if (c === 0x5c) break
      if (c < 0x20) {
        this.pos = i
        this.fail('control character in string')
      }
      i++
    }
    return this.slowString(start, i)
  }

  /** Continues a string that contains escapes, from the first backslash at `i`. */
  slowString(start: number, i: number): string {
    const [value, end] = escapedString(this.text, start, i, (pos, detail) => {
      this.pos = pos
      return this.fail(detail)
    })
    this.pos = end
    return value
  }
}
