/**
 * zod building blocks that read the lossless tree (see `lossless.ts`) the way Go's decoder fills
 * struct fields, with deliberate, documented strictness where Go is lax:
 *
 * - numbers arrive as {@link JsonNumber}; integer fields reject fractions and exponents (as Go
 *   does) and anything outside the Go type's range; values beyond 2^53 are refused for fields held
 *   as JS numbers, kept as a bigint by the WIDE fields (`goWideInt`/`goWideUint`: a number when
 *   safe, else a bigint; howdy `Seq`, `HostStats` uint64s, `Chattiness`, `Buzz`), and `ts` and
 *   ledger `Timestamp` are always bigints;
 * - a missing field takes Go's zero value; `null` is accepted only where Go itself writes it
 *   (slices, maps, pointers) and refused for scalars and struct values;
 * - a key that matches a field only case-insensitively (Go would fill the field) is refused.
 */
import { z } from 'zod'
import { INT64_MAX, INT64_MIN } from './go-json.js'
import { JsonNumber, JsonObject } from './lossless.js'

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER)

function intLiteral(
  n: JsonNumber,
  min: bigint,
  max: bigint,
): { ok: true; value: bigint } | { ok: false; message: string } {
  if (!n.isInteger)
    return { ok: false, message: `integer field holds a non-integer literal ${n.raw}` }
  const v = BigInt(n.raw)
  if (v < min || v > max) return { ok: false, message: `integer ${n.raw} is out of range` }
  return { ok: true, value: v }
}

/** A Go integer that may exceed 2^53: a JS number when it is a safe integer, else a bigint. */
export type GoWideInt = number | bigint

function makeIntSchema(min: bigint, max: bigint, wide: true): z.ZodType<GoWideInt, JsonNumber>
function makeIntSchema(min: bigint, max: bigint, wide?: false): z.ZodType<number, JsonNumber>
function makeIntSchema(
  min: bigint,
  max: bigint,
  wide = false,
): z.ZodType<GoWideInt, JsonNumber> | z.ZodType<number, JsonNumber> {
  const minN = Number(min)
  const maxN = Number(max)
  const unsigned = min === 0n
  return z.instanceof(JsonNumber).transform((n, ctx): GoWideInt => {
    const raw = n.raw
    // Go's ParseUint refuses any sign, even "-0".
    if (unsigned && raw.charCodeAt(0) === 0x2d) {
      ctx.issues.push({ code: 'custom', message: `unsigned field holds ${raw}`, input: raw })
      return z.NEVER
    }
    // Fast path: literals of up to 15 characters are exact doubles.
    if (raw.length <= 15 && n.isInteger) {
      const v = Number(raw)
      if (v >= minN && v <= maxN) return v === 0 ? 0 : v
    }
    const r = intLiteral(n, min, max)
    if (!r.ok) {
      ctx.issues.push({ code: 'custom', message: r.message, input: raw })
      return z.NEVER
    }
    if (r.value > MAX_SAFE || r.value < -MAX_SAFE) {
      if (wide) return r.value
      ctx.issues.push({
        code: 'custom',
        message: `integer ${raw} exceeds 2^53 and is not supported for this field`,
        input: raw,
      })
      return z.NEVER
    }
    return Number(r.value)
  })
}

/** Go `int`/`int64` held as a JS number (|v| <= 2^53 - 1). */
export const goInt = makeIntSchema(INT64_MIN, INT64_MAX)
/** Go `uint64` held as a JS number (0 <= v <= 2^53 - 1). */
export const goUint = makeIntSchema(0n, 2n ** 64n - 1n)
/** Go `uint32`. */
export const goUint32 = makeIntSchema(0n, 2n ** 32n - 1n)
/** Go `int64` that Go naras may fill beyond 2^53 (howdy `Seq`, `Chattiness`): held losslessly. */
export const goWideInt = makeIntSchema(INT64_MIN, INT64_MAX, true)
/** Go `uint64` that Go naras may fill beyond 2^53 (`HostStats.Uptime`, `Mem*MB`): held losslessly. */
export const goWideUint = makeIntSchema(0n, 2n ** 64n - 1n, true)

/** Go `int64` held exactly as a bigint (nanosecond timestamps). */
export const goInt64Big = z.instanceof(JsonNumber).transform((n, ctx): bigint => {
  const r = intLiteral(n, INT64_MIN, INT64_MAX)
  if (!r.ok) {
    ctx.issues.push({ code: 'custom', message: r.message, input: n.raw })
    return z.NEVER
  }
  return r.value
})

/** Go `float64`: any JSON number literal that is finite as a double. */
export const goFloat = z.instanceof(JsonNumber).transform((n, ctx): number => {
  const v = Number(n.raw)
  if (!Number.isFinite(v)) {
    ctx.issues.push({ code: 'custom', message: `float ${n.raw} is out of range`, input: n.raw })
    return z.NEVER
  }
  return v
})

export const goString = z.string()
export const goBool = z.boolean()

/** Go's case folding of a key (`bytes.EqualFold` / `foldName`): ASCII upper-casing plus the four
 * non-ASCII letters that fold onto ASCII letters (K KELVIN SIGN, LATIN SMALL LONG S, dotted and
 * dotless I). */
export function goFoldKey(key: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ASCII range test
  if (!/[^\u0000-\u007f]/.test(key)) return key.toUpperCase()
  let out = ''
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i)
    if (c >= 0x61 && c <= 0x7a) out += String.fromCharCode(c - 0x20)
    else if (c === 0x212a) out += 'K'
    else if (c === 0x017f) out += 'S'
    else if (c === 0x0130 || c === 0x0131) out += 'I'
    else out += key[i]
  }
  return out
}

/** A {@link JsonObject} as a null-prototype record, which is what `z.object` reads. */
function toRecord(o: JsonObject): Record<string, unknown> {
  const out: Record<string, unknown> = Object.create(null)
  for (let i = 0; i < o.keys.length; i++) out[o.keys[i]!] = o.values[i]
  return out
}

/**
 * A Go struct: `z.object(shape)` plus a pre-check that refuses keys equal to a field name only
 * case-insensitively (a parser differential: Go would fill the field). Unknown keys are ignored.
 */
export function goStruct<S extends z.ZodRawShape>(shape: S) {
  const exact = new Set(Object.keys(shape))
  const folded = new Map<string, string>()
  for (const k of exact) folded.set(goFoldKey(k), k)
  return z.preprocess((input, ctx) => {
    if (!(input instanceof JsonObject)) return input
    for (const key of input.keys) {
      if (exact.has(key)) continue
      const field = folded.get(goFoldKey(key))
      if (field !== undefined) {
        ctx.issues.push({
          code: 'custom',
          message: `key ${JSON.stringify(key)} matches field ${JSON.stringify(field)} only case-insensitively`,
          input: key,
          path: [key],
        })
      }
    }
    return toRecord(input)
  }, z.object(shape))
}

/**
 * A Go `map[string]V`. The result has a null prototype so that any key (even `__proto__`) is kept
 * as data. Absent or `null` becomes `null` (nil map).
 */
export function goMap<V extends z.ZodType>(value: V) {
  return z
    .custom<JsonObject | null | undefined>(
      (v) => v === null || v === undefined || v instanceof JsonObject,
      'expected an object or null',
    )
    .transform((obj, ctx): Record<string, z.output<V>> | null => {
      if (obj === null || obj === undefined) return null
      const out: Record<string, z.output<V>> = Object.create(null)
      for (let i = 0; i < obj.keys.length; i++) {
        const k = obj.keys[i]!
        const r = value.safeParse(obj.values[i])
        if (!r.success) {
          for (const issue of r.error.issues) {
            ctx.issues.push({ ...issue, path: [k, ...issue.path] } as never)
          }
          return z.NEVER
        }
        out[k] = r.data
      }
      return out
    })
}

/** A Go slice without omitempty: `null` or absent is `null`, otherwise an array. */
export function goSlice<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullable()
    .optional()
    .transform((v) => v ?? null)
}

/** A Go slice with omitempty: `null`/absent is `undefined`. */
export function goOptSlice<T extends z.ZodType>(item: T) {
  return z
    .array(item)
    .nullable()
    .transform((v) => v ?? undefined)
    .optional()
}

/** A Go pointer-to-struct with omitempty: `null`/absent is `undefined`. */
export function goOptPtr<T extends z.ZodType>(inner: T) {
  return inner
    .nullable()
    .transform((v) => v ?? undefined)
    .optional()
}
