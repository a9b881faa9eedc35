/**
 * The zod pieces of the agent's configuration: how one variable is read, and the messages that
 * say what is allowed. Messages follow the CLI's: `VARIABLE: what is allowed (got "value")`, the
 * value left out for secrets (see `config.ts`).
 */
import { z } from 'zod'

export const emptyToUndefined = (v: unknown) =>
  typeof v === 'string' && v.trim() === '' ? undefined : v

export const optionalString = z.preprocess(emptyToUndefined, z.string().optional())

/** An integer in `min..max`; the message says so (never zod's "expected number, received NaN"). */
export const int = (min: number, max: number, what = 'an integer') => {
  const message = `expected ${what} ${min}..${max}`
  return z.preprocess(
    emptyToUndefined,
    z
      .string()
      .trim()
      .regex(/^-?\d+$/, message)
      .transform(Number)
      .pipe(z.number().int(message).min(min, message).max(max, message))
      .optional(),
  )
}

export const bool = z.preprocess(
  emptyToUndefined,
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: 'expected one of 1, 0, true, false, yes, no, on, off',
    })
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
    .optional(),
)

/** One of `values`; the message lists them. */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) =>
  z.preprocess(
    emptyToUndefined,
    z.enum(values, { error: `expected one of ${values.join(', ')}` }).optional(),
  )

/**
 * Topic-safe names (WIRE §9.8): no `/`, `+`, `#`, whitespace or control characters, and no `.`:
 * NATS cannot carry `.` or a space in a topic and closes the publisher's connection
 * (docs/BROKERS.md).
 */
export const isTopicSafeName = (v: string) =>
  v.length >= 1 &&
  v.length <= 64 &&
  ![...v].some((ch) => '/+#.:'.includes(ch) || ch.trim() === '' || ch.charCodeAt(0) < 32)

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/

/** A soul's shape (base58, plausible length); `@nara/crypto` parses it for real. */
export function structuralSoulCheck(soul: string): boolean {
  return BASE58.test(soul) && soul.length >= 50 && soul.length <= 60
}
