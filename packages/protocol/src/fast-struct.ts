/**
 * A table-driven fast path for Go structs (the newspaper `Status`, see `newspaper-fast.ts`): one
 * pass over the text straight into the typed object, without the lossless tree and the generic
 * tree decoders (`tree-decoder.ts`, the reference).
 *
 * Like `sync-event-fast.ts` it is a RECOGNISER of a strict subset, never a second set of rules:
 * it answers only where the reference path accepts and builds exactly the object built here
 * (same fields in the same order, same values). Anything else (an escape in a string, a key that
 * is not exactly a field, a duplicate key, an integer literal over 15 characters or out of its
 * range, a non-finite float, an absent struct...) is {@link FAIL} and the caller runs the
 * reference path, which gives the verdict and its detail.
 */
import type { Cursor } from './fast-cursor.js'
import { detach } from './json-value.js'

/** The fast path gives up: the reference path decides. */
export const FAIL: unique symbol = Symbol('fast path gives up')
type Fail = typeof FAIL
/** A present value the reference omits from its result (`null` for a Go pointer or omitempty map). */
const OMIT: unique symbol = Symbol('omitted')

/**
 * How a field decodes, after `tree-decoder.ts`: `str`/`bool` (absent: `''`/`false`), `optStr`,
 * `int` (int64; `wideInt` and `wideUint` answer the same on this path, which leaves literals over
 * 15 characters to the reference), `optInt`, `uint32`, `wideUint`, `float`, `optFloat`, `struct`
 * (absent: the reference decides), `optPtr` (a struct; `null`/absent omitted), `map` (of `item`;
 * `null`/absent is `null`), `optMap` (`null`/absent omitted).
 */
export type FieldKind =
  | 'str'
  | 'optStr'
  | 'bool'
  | 'int'
  | 'optInt'
  | 'uint32'
  | 'wideUint'
  | 'float'
  | 'optFloat'
  | 'struct'
  | 'optPtr'
  | 'map'
  | 'optMap'

/** One field of a {@link StructSpec}; `spec` for `struct`/`optPtr`, `item` for the maps. */
export interface FieldSpec {
  readonly key: string
  readonly kind: FieldKind
  readonly spec?: StructSpec
  readonly item?: FieldSpec
}

/**
 * Builds the struct from its values in field order (`undefined`: omitted). Default: one keyed
 * store per field, fine for small structs; past about 16 fields V8 turns such an object into a
 * slow dictionary, so a large struct names its fields in an object literal instead.
 */
export type StructBuild = (values: readonly unknown[]) => Record<string, unknown>

/** A Go struct's fields in declaration order (the reference decoder's order). */
export interface StructSpec {
  readonly fields: readonly FieldSpec[]
  /** Each field's key and its closing quote (`Key"`), to compare in place. */
  readonly quoted: readonly string[]
  readonly index: ReadonlyMap<string, number>
  readonly build: StructBuild
}

export function structSpec(fields: readonly FieldSpec[], build?: StructBuild): StructSpec {
  const index = new Map(fields.map((f, i) => [f.key, i]))
  const quoted = fields.map((f) => `${f.key}"`)
  return { fields, quoted, index, build: build ?? ((values) => keyedBuild(fields, values)) }
}

function keyedBuild(
  fields: readonly FieldSpec[],
  values: readonly unknown[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (let i = 0; i < fields.length; i++) {
    const v = values[i]
    if (v !== undefined) out[(fields[i] as FieldSpec).key] = v
  }
  return out
}

const UINT32_MAX = 0xffffffff

/** An integer literal of at most 15 characters (an exact double), as the reference reads it. */
function intValue(raw: string, unsigned: boolean, max: number): number | Fail {
  if (raw.length > 15 || (unsigned && raw.charCodeAt(0) === 0x2d)) return FAIL
  for (let i = 0; i < raw.length; i++) {
    const c = raw.charCodeAt(i)
    if (c === 0x2e || c === 0x65 || c === 0x45) return FAIL
  }
  const n = Number(raw)
  if (n > max) return FAIL
  return n === 0 ? 0 : n
}

function numberValue(c: Cursor, kind: FieldKind): number | Fail {
  const raw = c.number()
  if (raw === undefined) return FAIL
  switch (kind) {
    case 'float':
    case 'optFloat': {
      const n = Number(raw)
      return Number.isFinite(n) ? n : FAIL
    }
    case 'uint32':
      return intValue(raw, true, UINT32_MAX)
    case 'wideUint':
      return intValue(raw, true, Number.POSITIVE_INFINITY)
    default:
      return intValue(raw, false, Number.POSITIVE_INFINITY)
  }
}

/** A Go map: a null-prototype record of `item` values, keys in document order. */
function readMap(c: Cursor, item: FieldSpec): Record<string, unknown> | Fail {
  const more = c.open()
  if (more === undefined) return FAIL
  const out: Record<string, unknown> = Object.create(null)
  if (!more) return out
  for (;;) {
    const k = c.key()
    if (k === undefined || out[k] !== undefined) return FAIL
    const v = readValue(c, item)
    if (v === FAIL || v === OMIT) return FAIL
    out[detach(k)] = v
    const n = c.next()
    if (n === undefined) return FAIL
    if (!n) return out
  }
}

/** The kinds a number literal may fill (never a string, a bool, a struct or a map). */
const NUMERIC: ReadonlySet<FieldKind> = new Set<FieldKind>([
  'int',
  'optInt',
  'uint32',
  'wideUint',
  'float',
  'optFloat',
])

/** The value at the cursor for field `f` (present), {@link OMIT}, or {@link FAIL}. */
function readValue(c: Cursor, f: FieldSpec): unknown {
  const kind = f.kind
  const ch = c.t.charCodeAt(c.pos)
  if (ch === 0x22) return kind === 'str' || kind === 'optStr' ? (c.str() ?? FAIL) : FAIL
  if (ch === 0x7b) {
    if (kind === 'struct' || kind === 'optPtr') return readStruct(c, f.spec as StructSpec)
    return kind === 'map' || kind === 'optMap' ? readMap(c, f.item as FieldSpec) : FAIL
  }
  if (ch === 0x2d || (ch >= 0x30 && ch <= 0x39)) {
    return NUMERIC.has(kind) ? numberValue(c, kind) : FAIL
  }
  const lit = c.literal()
  if (lit === null)
    return kind === 'map' ? null : kind === 'optPtr' || kind === 'optMap' ? OMIT : FAIL
  return lit !== undefined && kind === 'bool' ? lit : FAIL
}

/** The reference's value for an absent field: a zero, `undefined` (omitted), or FAIL. */
function absentValue(kind: FieldKind): unknown {
  switch (kind) {
    case 'str':
      return ''
    case 'bool':
      return false
    case 'int':
    case 'uint32':
    case 'wideUint':
    case 'float':
      return 0
    case 'map':
      return null
    case 'struct':
      return FAIL
    default:
      return undefined
  }
}

/**
 * The index of the field whose key is at the cursor (then moved to its value), or -1. Go writes
 * fields in declaration order, so the fields from `from` on are compared in place first.
 */
function fieldAt(c: Cursor, s: StructSpec, from: number): number {
  const quoted = s.quoted
  for (let j = from; j < quoted.length; j++) if (c.keyIs(quoted[j] as string)) return j
  const k = c.key()
  return k === undefined ? -1 : (s.index.get(k) ?? -1)
}

/** Reads the object at the cursor as struct `s`; FAIL when the reference must decide. */
export function readStruct(c: Cursor, s: StructSpec): Record<string, unknown> | Fail {
  const more = c.open()
  if (more === undefined) return FAIL
  const fields = s.fields
  const vals = new Array<unknown>(fields.length)
  if (more) {
    for (let from = 0; ; ) {
      const i = fieldAt(c, s, from)
      // Not exactly a field (unknown, case variant), or a repeated key.
      if (i < 0 || vals[i] !== undefined) return FAIL
      from = i + 1
      const v = readValue(c, fields[i] as FieldSpec)
      if (v === FAIL) return FAIL
      vals[i] = v
      const n = c.next()
      if (n === undefined) return FAIL
      if (!n) break
    }
  }
  for (let i = 0; i < fields.length; i++) {
    const v = vals[i]
    if (v === OMIT) vals[i] = undefined
    else if (v === undefined) {
      const zero = absentValue((fields[i] as FieldSpec).kind)
      if (zero === FAIL) return FAIL
      vals[i] = zero
    }
  }
  return s.build(vals)
}
