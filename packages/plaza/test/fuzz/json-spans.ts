/**
 * Where the values of a JSON text sit: one span per value (objects, arrays, strings, numbers,
 * literals), with the member key when the value belongs to an object. The structure-aware
 * mutators swap, replace, duplicate and nest values by these spans, on the raw text, so every
 * byte they do not touch stays exactly as the Go nara sent it (big integers included).
 */

export type SpanType = 'object' | 'array' | 'string' | 'number' | 'literal'

export interface ValueSpan {
  /** First character of the value. */
  readonly start: number
  /** One past its last character. */
  readonly end: number
  readonly type: SpanType
  /** The member key (decoded naively: escapes kept), when the value is an object member. */
  readonly key?: string
  /** Where the member's key string starts (its opening quote), for object members. */
  readonly keyStart?: number
}

const isWs = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d
const MAX_DEPTH = 64
const SCALAR = /-?[0-9][0-9eE+.-]*|true|false|null/y

/**
 * The value spans of `text`, outermost first. Stops quietly at the first syntax error or below
 * 64 levels (the spans found so far are returned): the mutators mostly edit the well-formed
 * originals.
 */
export function valueSpans(text: string): ValueSpan[] {
  const spans: ValueSpan[] = []
  let i = 0
  const skip = () => {
    while (i < text.length && isWs(text.charCodeAt(i))) i++
  }
  const stringEnd = (from: number): number => {
    let j = from + 1
    for (let c = text.charCodeAt(j); j < text.length && c !== 0x22; c = text.charCodeAt(j)) {
      j += c === 0x5c ? 2 : 1
    }
    if (j >= text.length) throw new SyntaxError('unterminated string')
    return j + 1
  }
  const value = (depth: number, key?: string, keyStart?: number): void => {
    // The mutators need no span below this depth; deeper texts are already nested ones.
    if (depth > MAX_DEPTH) throw new SyntaxError('too deep')
    skip()
    const start = i
    const c = text[i]
    const member = key === undefined ? {} : { key, keyStart }
    if (c === '{' || c === '[') {
      const slot = spans.length
      spans.push({ start, end: start, type: c === '{' ? 'object' : 'array', ...member })
      i++
      skip()
      const close = c === '{' ? '}' : ']'
      if (text[i] === close) i++
      else {
        for (;;) {
          if (c === '{') {
            skip()
            const ks = i
            i = stringEnd(i)
            const k = text.slice(ks + 1, i - 1)
            skip()
            if (text[i] !== ':') throw new SyntaxError('expected :')
            i++
            value(depth + 1, k, ks)
          } else value(depth + 1)
          skip()
          if (text[i] === ',') {
            i++
            continue
          }
          if (text[i] !== close) throw new SyntaxError(`expected ${close}`)
          i++
          break
        }
      }
      spans[slot] = { ...(spans[slot] as ValueSpan), end: i }
      return
    }
    if (c === '"') {
      i = stringEnd(i)
      spans.push({ start, end: i, type: 'string', ...member })
      return
    }
    SCALAR.lastIndex = i
    const m = SCALAR.exec(text)
    if (m === null) throw new SyntaxError('unexpected character')
    i += m[0].length
    const type: SpanType = /^[-0-9]/.test(m[0]) ? 'number' : 'literal'
    spans.push({ start, end: i, type, ...member })
  }
  try {
    value(0)
  } catch {
    // Partial spans are still useful.
  }
  return spans
}
