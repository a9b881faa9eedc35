/**
 * Hand-rolled decoders from the lossless tree to typed values: the fast path behind
 * `decodeMessage`. They implement the same rules as the zod schemas in `go-schema.ts` (the
 * reference, and the source of the TS types); a differential test holds the two together.
 * zod spends ~50-100 ns per field; these spend a few ns, which keeps a newspaper decode far below
 * the cost of an Ed25519 verify.
 */
import { INT64_MAX, INT64_MIN } from './go-json.js'
import { goFoldKey } from './go-schema.js'
import { JsonNumber, JsonObject, type JsonValue } from './lossless.js'

/** A schema violation found by a tree decoder (internal; surfaced as reason `bad-schema`). */
export class SchemaIssue {
  constructor(
    readonly path: string,
    readonly message: string,
  ) {}
  get detail(): string {
    return this.path === '' ? this.message : `${this.path}: ${this.message}`
  }
}

/** Decodes one field value (`undefined` = key absent). Throws {@link SchemaIssue}. */
export type Dec<T> = (v: JsonValue | undefined) => T

function issue(message: string): never {
  throw new SchemaIssue('', message)
}

export function isObject(v: JsonValue | undefined): v is JsonObject {
  return v instanceof JsonObject
}

export const str: Dec<string> = (v) => {
  if (typeof v === 'string') return v
  return v === undefined ? '' : issue('expected a string')
}
export const optStr: Dec<string | undefined> = (v) => {
  if (typeof v === 'string' || v === undefined) return v
  return issue('expected a string')
}
export const bool: Dec<boolean> = (v) => {
  if (typeof v === 'boolean') return v
  return v === undefined ? false : issue('expected a boolean')
}
export const optBool: Dec<boolean | undefined> = (v) => {
  if (typeof v === 'boolean' || v === undefined) return v
  return issue('expected a boolean')
}

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function intOf(
  v: JsonValue,
  min: number,
  max: number,
  minB: bigint,
  maxB: bigint,
  wide = false,
): number | bigint {
  if (!(v instanceof JsonNumber)) return issue('expected a number')
  const raw = v.raw
  if (min === 0 && raw.charCodeAt(0) === 0x2d) return issue(`unsigned field holds ${raw}`)
  if (!v.isInteger) return issue(`integer field holds a non-integer literal ${raw}`)
  if (raw.length <= 15) {
    const n = Number(raw)
    if (n >= min && n <= max) return n === 0 ? 0 : n
    return issue(`integer ${raw} is out of range`)
  }
  const b = BigInt(raw)
  if (b < minB || b > maxB) return issue(`integer ${raw} is out of range`)
  if (b > MAX_SAFE || b < -MAX_SAFE) {
    return wide ? b : issue(`integer ${raw} exceeds 2^53 and is not supported for this field`)
  }
  return Number(b)
}

function intDec(minB: bigint, maxB: bigint): { req: Dec<number>; opt: Dec<number | undefined> } {
  const min = Number(minB)
  const max = Number(maxB)
  return {
    req: (v) => (v === undefined ? 0 : (intOf(v, min, max, minB, maxB) as number)),
    opt: (v) => (v === undefined ? undefined : (intOf(v, min, max, minB, maxB) as number)),
  }
}

/** A wide integer decoder: a number when safe, else the exact bigint (see `go-schema.ts`). */
function wideDec(minB: bigint, maxB: bigint): Dec<number | bigint> {
  const min = Number(minB)
  const max = Number(maxB)
  return (v) => (v === undefined ? 0 : intOf(v, min, max, minB, maxB, true))
}

const i64 = intDec(INT64_MIN, INT64_MAX)
const u64 = intDec(0n, 2n ** 64n - 1n)
const u32 = intDec(0n, 2n ** 32n - 1n)
export const int = i64.req
export const optInt = i64.opt
export const uint = u64.req
export const optUint = u64.opt
export const uint32 = u32.req
export const wideInt = wideDec(INT64_MIN, INT64_MAX)
export const wideUint = wideDec(0n, 2n ** 64n - 1n)

export const int64Big: Dec<bigint> = (v) => {
  if (v === undefined) return 0n
  if (!(v instanceof JsonNumber)) return issue('expected a number')
  if (!v.isInteger) return issue(`integer field holds a non-integer literal ${v.raw}`)
  const b = BigInt(v.raw)
  if (b < INT64_MIN || b > INT64_MAX) return issue(`integer ${v.raw} is out of range`)
  return b
}

function floatOf(v: JsonValue): number {
  if (!(v instanceof JsonNumber)) return issue('expected a number')
  const n = Number(v.raw)
  return Number.isFinite(n) ? n : issue(`float ${v.raw} is out of range`)
}
export const float: Dec<number> = (v) => (v === undefined ? 0 : floatOf(v))
export const optFloat: Dec<number | undefined> = (v) => (v === undefined ? undefined : floatOf(v))

/** One of a fixed set of strings (required: absent is refused). */
export function oneOf<const T extends string>(values: readonly T[]): Dec<T> {
  const set = new Set<string>(values)
  return (v) => {
    if (typeof v === 'string' && set.has(v)) return v as T
    return issue(v === undefined ? 'required' : 'unexpected value')
  }
}

type Spec<T> = { [K in keyof T]-?: Dec<T[K]> }

/**
 * A Go struct decoder. Keys matching a field only case-insensitively are refused; unknown keys
 * are ignored; absent fields get their codec's zero value (absent optional fields stay absent).
 * `ifAbsent`: `'zero'` decodes an absent value as `{}`, `'required'` refuses it.
 */
export function struct<T>(spec: Spec<T>, ifAbsent: 'zero' | 'required' = 'zero'): Dec<T> {
  const keys = Object.keys(spec) as (keyof T & string)[]
  const n = keys.length
  const decs = keys.map((k) => spec[k] as Dec<unknown>)
  const index = new Map<string, number>()
  for (let i = 0; i < n; i++) index.set(keys[i]!, i)
  const folded = new Map<string, string>()
  for (const k of keys) folded.set(goFoldKey(k), k)
  return (v) => {
    if (v === undefined && ifAbsent === 'zero') v = EMPTY
    if (!(v instanceof JsonObject))
      return issue(v === undefined ? 'required' : 'expected an object')
    const vals = new Array<JsonValue | undefined>(n)
    const vk = v.keys
    for (let j = 0; j < vk.length; j++) {
      const key = vk[j]!
      const i = index.get(key)
      if (i !== undefined) {
        vals[i] = v.values[j]
        continue
      }
      const field = folded.get(goFoldKey(key))
      if (field !== undefined) {
        throw new SchemaIssue(
          key,
          `key matches field ${JSON.stringify(field)} only case-insensitively`,
        )
      }
    }
    const out: Record<string, unknown> = {}
    for (let i = 0; i < n; i++) {
      let r: unknown
      try {
        r = decs[i]!(vals[i])
      } catch (err) {
        if (err instanceof SchemaIssue) throw new SchemaIssue(join(keys[i]!, err.path), err.message)
        throw err
      }
      if (r !== undefined) out[keys[i]!] = r
    }
    return out as T
  }
}

const EMPTY = new JsonObject([], [])

function join(head: string, tail: string): string {
  return tail === '' ? head : `${head}.${tail}`
}

/** Go pointer with omitempty: `null` or absent is `undefined`. */
export function optPtr<T>(inner: Dec<T>): Dec<T | undefined> {
  return (v) => (v === undefined || v === null ? undefined : inner(v))
}

function mapOf<V>(value: Dec<V>, v: JsonObject): Record<string, V> {
  const out: Record<string, V> = Object.create(null)
  for (let j = 0; j < v.keys.length; j++) {
    const k = v.keys[j]!
    try {
      out[k] = value(v.values[j])
    } catch (err) {
      if (err instanceof SchemaIssue) throw new SchemaIssue(join(k, err.path), err.message)
      throw err
    }
  }
  return out
}

/** Go map without omitempty: `null`/absent is `null`. Null-prototype result. */
export function map<V>(value: Dec<V>): Dec<Record<string, V> | null> {
  return (v) => {
    if (v === undefined || v === null) return null
    return isObject(v) ? mapOf(value, v) : issue('expected an object or null')
  }
}

/** Go map with omitempty: `null`/absent is `undefined`. */
export function optMap<V>(value: Dec<V>): Dec<Record<string, V> | undefined> {
  const m = map(value)
  return (v) => m(v) ?? undefined
}

function sliceOf<T>(item: Dec<T>, v: JsonValue[]): T[] {
  const out = new Array<T>(v.length)
  for (let i = 0; i < v.length; i++) {
    try {
      out[i] = item(v[i])
    } catch (err) {
      if (err instanceof SchemaIssue) throw new SchemaIssue(join(String(i), err.path), err.message)
      throw err
    }
  }
  return out
}

/** Go slice without omitempty: `null`/absent is `null`. */
export function slice<T>(item: Dec<T>): Dec<T[] | null> {
  return (v) => {
    if (v === undefined || v === null) return null
    return Array.isArray(v) ? sliceOf(item, v) : issue('expected an array or null')
  }
}

/** Go slice with omitempty: `null`/absent is `undefined`. */
export function optSlice<T>(item: Dec<T>): Dec<T[] | undefined> {
  const s = slice(item)
  return (v) => s(v) ?? undefined
}

/** Runs a decoder on a tree; top-level non-objects are refused. */
export function runDecoder<T>(
  dec: Dec<T>,
  v: JsonValue,
): { ok: true; value: T } | { ok: false; detail: string } {
  if (!isObject(v)) return { ok: false, detail: 'top-level value is not an object' }
  try {
    return { ok: true, value: dec(v) }
  } catch (err) {
    if (err instanceof SchemaIssue) return { ok: false, detail: err.detail }
    throw err
  }
}
