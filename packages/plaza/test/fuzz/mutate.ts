/**
 * The mutators: structure-aware ones on the JSON text (field swaps, number and string
 * substitutions, duplicated keys, deleted members, deep nesting, type changes, renamed keys) and
 * byte-level ones on the UTF-8 bytes (bit flips, inserts, deletes, truncation, duplicated runs,
 * invalid UTF-8). Each input stacks one to four of them, drawn from a seeded random source.
 */
import { type ValueSpan, valueSpans } from './json-spans.js'

type Random = () => number

const pick = <T>(rand: Random, items: readonly T[]): T =>
  items[Math.floor(rand() * items.length)] as T
const int = (rand: Random, n: number): number => Math.floor(rand() * n)

const NUMBERS = [
  '0',
  '-0',
  '1',
  '-1',
  '2',
  '9007199254740991',
  '9007199254740992',
  '9007199254740993',
  '-9007199254740993',
  '9223372036854775807',
  '9223372036854775808',
  '-9223372036854775808',
  '-9223372036854775809',
  '18446744073709551615',
  '18446744073709551616',
  '123456789012345678901234567890123',
  '1e3',
  '1E+2',
  '1.0',
  '0.5',
  '-0.0',
  '1e308',
  '1e309',
  '-1e309',
  '4.9e-324',
  '1e-400',
  '00',
  '01',
  '0x10',
  '1.',
  '.5',
  '+1',
  'NaN',
  'Infinity',
  '-',
]

const STRINGS = [
  '""',
  '"a:b"',
  '"alice"',
  '"bob"',
  '"alice:bob"',
  '"\\u0000"',
  '"\\ud800"',
  '"\\udc00\\ud800"',
  '"\\u003c\\u0026\\u2028\\u2029\\u007f"',
  '"\\""',
  '"\\\\"',
  '"ni\u00f1o-\u{1F308}"',
  '"\u212Aey"',
  '"ORHN8e/hGMim8CWamIDrYQ7GURwM4MCDajlccFK8B00="',
  '"C6DA8v4mTPHO5MPT9ggoH1Vo70PkFHF9CdOksFRlcq4="',
  '"BgfMs1y5Me64HXK8LFsAFZ1JrpKvGogCYjp9X8xumDix"',
  '"HmfPuseiFia4UwfxEsR3eogcu6tsERzqeHr6X8UqbgHR"',
  `"${'A'.repeat(86)}=="`,
  '"hey-there"',
  '"chau"',
  '"social"',
  '"checkpoint"',
  '"ONLINE"',
  '"nara/newspaper/alice"',
  `"${'x'.repeat(5000)}"`,
]

const SCALARS = ['null', 'true', 'false', '0', '""', '{}', '[]', '[null]', '{"":0}', '"x"']

const BYTES = [0x00, 0x22, 0x5c, 0x3a, 0x2c, 0x7b, 0x7d, 0x5b, 0x5d, 0x30, 0x7f, 0x80, 0xc0, 0xff]
const BAD_UTF8 = [
  [0xc0, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xe2, 0x82],
  [0xef, 0xbb, 0xbf],
  [0xf0, 0x9f, 0x8c],
]

const splice = (text: string, start: number, end: number, insert: string) =>
  text.slice(0, start) + insert + text.slice(end)

/** A value of the text that is not the whole document. */
function inner(spans: readonly ValueSpan[], rand: Random, type?: string): ValueSpan | undefined {
  const pool = spans.filter((s, i) => i > 0 && (type === undefined || s.type === type))
  return pool.length === 0 ? undefined : pick(rand, pool)
}

function nested(rand: Random): string {
  const depth = pick(rand, [8, 64, 512, 4096, 20000, 30000])
  return rand() < 0.5
    ? '['.repeat(depth) + ']'.repeat(depth)
    : `${'{"a":'.repeat(depth)}0${'}'.repeat(depth)}`
}

function nearNumber(text: string, rand: Random): string {
  if (!/^-?[0-9]+$/.test(text)) return pick(rand, NUMBERS)
  return String(BigInt(text) + pick(rand, [1n, -1n, 2n ** 32n, 2n ** 53n, 2n ** 63n]))
}

function nearString(text: string, rand: Random): string {
  const body = text.slice(1, -1)
  const at = int(rand, body.length + 1)
  const variants = [
    `"${body}:x"`,
    `"x:${body}"`,
    `"${body.toUpperCase()}"`,
    `"${body.slice(0, at)}${body.slice(at + 1)}"`,
    `"${body.slice(0, at)}\\u00${int(rand, 16).toString(16)}${body.slice(at)}"`,
    `"${body}${body}"`,
  ]
  return pick(rand, variants)
}

/** One structure-aware mutation of `text`, or `text` unchanged when it has no such value. */
export function mutateStructure(
  text: string,
  rand: Random,
  spans: readonly ValueSpan[] = valueSpans(text),
): string {
  const op = int(rand, 8)
  const a = inner(spans, rand)
  if (a === undefined) return text
  switch (op) {
    case 0: {
      // field swap: exchange two values that do not contain one another
      const b = inner(spans, rand)
      if (b === undefined || b === a || (a.start <= b.start && b.end <= a.end)) return text
      if (b.start <= a.start && a.end <= b.end) return text
      const [x, y] = a.start < b.start ? [a, b] : [b, a]
      const xs = text.slice(x.start, x.end)
      const ys = text.slice(y.start, y.end)
      return text.slice(0, x.start) + ys + text.slice(x.end, y.start) + xs + text.slice(y.end)
    }
    case 1: {
      const n = inner(spans, rand, 'number') ?? a
      const original = text.slice(n.start, n.end)
      const next = rand() < 0.3 ? nearNumber(original, rand) : pick(rand, NUMBERS)
      return splice(text, n.start, n.end, next)
    }
    case 2: {
      const s = inner(spans, rand, 'string') ?? a
      const original = text.slice(s.start, s.end)
      const other = inner(spans, rand, 'string')
      const next =
        rand() < 0.4
          ? nearString(original, rand)
          : rand() < 0.5 && other !== undefined
            ? text.slice(other.start, other.end)
            : pick(rand, STRINGS)
      return splice(text, s.start, s.end, next)
    }
    case 3: {
      // duplicated key: the member again, before or after, with its own or another value
      if (a.keyStart === undefined) return text
      const member = text.slice(a.keyStart, a.end)
      const b = inner(spans, rand)
      const again =
        rand() < 0.5 || b === undefined
          ? member
          : `${text.slice(a.keyStart, a.start)}${text.slice(b.start, b.end)}`
      return rand() < 0.5
        ? splice(text, a.end, a.end, `,${again}`)
        : splice(text, a.keyStart, a.keyStart, `${again},`)
    }
    case 4: {
      // deleted member (with the comma after it, when there is one)
      if (a.keyStart === undefined) return text
      const end = text[a.end] === ',' ? a.end + 1 : a.end
      return splice(text, a.keyStart, end, '')
    }
    case 5:
      return splice(text, a.start, a.end, nested(rand))
    case 6:
      return splice(text, a.start, a.end, pick(rand, SCALARS))
    default: {
      // renamed key: case change, a lookalike, an empty or a doubled key
      if (a.keyStart === undefined || a.key === undefined) return text
      const k = a.key
      const next = pick(rand, [k.toLowerCase(), k.toUpperCase(), `${k}\u017F`, '', `${k}${k}`])
      return splice(text, a.keyStart, a.keyStart + k.length + 2, JSON.stringify(next))
    }
  }
}

/** One byte-level mutation of `bytes` (a new array). */
export function mutateBytes(bytes: Uint8Array, rand: Random): Uint8Array {
  const n = bytes.length
  const at = int(rand, n + 1)
  const out = (parts: ArrayLike<number>[]) =>
    new Uint8Array(Buffer.concat(parts.map((p) => Uint8Array.from(p))))
  switch (int(rand, 6)) {
    case 0: {
      if (n === 0) return bytes
      const copy = Uint8Array.from(bytes)
      const i = int(rand, n)
      copy[i] = (copy[i] as number) ^ (1 << int(rand, 8))
      return copy
    }
    case 1: {
      const b = rand() < 0.5 ? pick(rand, BYTES) : int(rand, 256)
      return out([bytes.subarray(0, at), [b], bytes.subarray(at)])
    }
    case 2:
      return out([bytes.subarray(0, at), bytes.subarray(Math.min(n, at + 1 + int(rand, 4)))])
    case 3:
      return bytes.slice(0, int(rand, n))
    case 4: {
      const from = int(rand, n)
      const run = bytes.subarray(from, from + 1 + int(rand, 64))
      return out([bytes.subarray(0, at), run, bytes.subarray(at)])
    }
    default:
      return out([bytes.subarray(0, at), pick(rand, BAD_UTF8), bytes.subarray(at)])
  }
}

const enc = new TextEncoder()
const originalSpans = new Map<string, readonly ValueSpan[]>()

/** One fuzz input from an original payload: 1-2 structural and/or 1-3 byte-level mutations. */
export function mutate(original: string, rand: Random): Uint8Array {
  const structural = rand() < 0.65 ? 1 + (rand() < 0.25 ? 1 : 0) : 0
  let text = original
  for (let k = 0; k < structural; k++) {
    let spans = k === 0 ? originalSpans.get(original) : undefined
    if (k === 0 && spans === undefined) {
      spans = valueSpans(original)
      originalSpans.set(original, spans)
    }
    text = mutateStructure(text, rand, spans)
  }
  let bytes: Uint8Array = enc.encode(text)
  const byteOps = structural === 0 ? 1 + int(rand, 3) : rand() < 0.3 ? 1 : 0
  for (let k = 0; k < byteOps; k++) bytes = mutateBytes(bytes, rand)
  return bytes
}
