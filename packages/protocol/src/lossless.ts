/**
 * A small strict JSON parser (RFC 8259, like Go's scanner) that keeps number literals as text so
 * int64 nanosecond timestamps survive exactly, rejects duplicate keys, bounds nesting depth, and can
 * report where each top-level value sits in the text (for the newspaper `Status` raw bytes).
 *
 * It never throws on bad input: `parseJson` returns `{ ok: false, detail }`.
 */

/** A JSON number literal kept verbatim (e.g. `1768774453123456789`, `1.5`, `-2.5e-7`). */
export class JsonNumber {
  constructor(readonly raw: string) {}
  /** True when the literal has no fraction and no exponent (Go accepts it for an int field). */
  get isInteger(): boolean {
    const r = this.raw
    for (let i = 0; i < r.length; i++) {
      const c = r.charCodeAt(i)
      if (c === 0x2e || c === 0x65 || c === 0x45) return false
    }
    return true
  }
}

/** The lossless tree: numbers as {@link JsonNumber}, objects as {@link JsonObject}. */
export type JsonValue = null | boolean | string | JsonNumber | JsonValue[] | JsonObject

/**
 * A JSON object as parallel key/value arrays in document order (keys are unique: the parser
 * refuses duplicates). Cheap to build, and no key (not even `__proto__`) can touch a prototype.
 */
export class JsonObject {
  constructor(
    readonly keys: string[],
    readonly values: JsonValue[],
  ) {}
  /** The member named exactly `key`, or `undefined`. */
  get(key: string): JsonValue | undefined {
    const i = this.keys.indexOf(key)
    return i < 0 ? undefined : this.values[i]
  }
}

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
    const t = this.text
    const n = t.length
    let out = t.slice(start, i)
    let runStart = i
    for (;;) {
      if (i >= n) {
        this.pos = i
        this.fail('unterminated string')
      }
      const c = t.charCodeAt(i)
      if (c === 0x22) {
        this.pos = i + 1
        return detach(out + t.slice(runStart, i))
      }
      if (c < 0x20) {
        this.pos = i
        this.fail('control character in string')
      }
      if (c !== 0x5c) {
        i++
        continue
      }
      out += t.slice(runStart, i)
      const e = t.charCodeAt(i + 1)
      switch (e) {
        case 0x22:
          out += '"'
          break
        case 0x5c:
          out += '\\'
          break
        case 0x2f:
          out += '/'
          break
        case 0x62:
          out += '\b'
          break
        case 0x66:
          out += '\f'
          break
        case 0x6e:
          out += '\n'
          break
        case 0x72:
          out += '\r'
          break
        case 0x74:
          out += '\t'
          break
        case 0x75: {
          const u = this.hex4(i + 2)
          i += 6
          if (u >= 0xd800 && u <= 0xdbff) {
            // A high surrogate must be followed by an escaped low surrogate; otherwise Go
            // substitutes U+FFFD (and so do we).
            if (t.charCodeAt(i) === 0x5c && t.charCodeAt(i + 1) === 0x75) {
              const v = this.hex4(i + 2)
              if (v >= 0xdc00 && v <= 0xdfff) {
                out += String.fromCharCode(u, v)
                i += 6
                runStart = i
                continue
              }
            }
            out += '\ufffd'
          } else if (u >= 0xdc00 && u <= 0xdfff) out += '\ufffd'
          else out += String.fromCharCode(u)
          runStart = i
          continue
        }
        default:
          this.pos = i
          this.fail('invalid escape')
      }
      i += 2
      runStart = i
    }
  }

  hex4(at: number): number {
    let v = 0
    for (let k = 0; k < 4; k++) {
      const c = this.text.charCodeAt(at + k)
      let d: number
      if (c >= 0x30 && c <= 0x39) d = c - 0x30
      else if (c >= 0x61 && c <= 0x66) d = c - 0x57
      else if (c >= 0x41 && c <= 0x46) d = c - 0x37
      else {
        this.pos = at + k
        return this.fail('invalid \\u escape')
      }
      v = (v << 4) | d
    }
    return v
  }
}

/**
 * A copy of `s` that does not share the parsed text. V8 returns a slice of 13+ characters as a
 * view into its parent, so a short name or key kept in a long-lived set (dedupe keys, howdy
 * rounds, the neighbourhood) would otherwise keep the whole payload alive: one 30 KB howdy per
 * remembered name. Shorter slices are copies already.
 */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1)
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}
