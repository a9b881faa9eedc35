/**
 * The zod schema of each setting of the `nara` command, and `field`, which parses one value and
 * records what is wrong with it (naming the variable or flag, never echoing a secret).
 */
import { z } from 'zod'

export const portSchema = z
  .string()
  .regex(/^\d+$/, 'expected a port number 1..65535')
  .transform(Number)
  .pipe(
    z
      .number()
      .int()
      .min(1, 'expected a port number 1..65535')
      .max(65535, 'expected a port number 1..65535'),
  )

export const boolSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], 'expected true or false'))
  .transform((s) => ['1', 'true', 'yes', 'on'].includes(s))

/** Same rule as the agent: the name is used in topics. */
// "." and spaces: a NATS broker cannot carry them in a topic (docs/BROKERS.md); ":" would let a
// signature re-split (signed texts join names with ":").
const NAME_RULE =
  'expected 1-64 characters without "/", "+", "#", ".", ":", spaces or NUL (a NATS broker cannot carry "." or spaces in a topic; signed texts join names with ":")'
export const nameSchema = z
  .string()
  .max(64, NAME_RULE)
  .refine((s) => s.length > 0 && !/[/+#.:\s]/.test(s) && !s.includes('\u0000'), NAME_RULE)

/** Structural check only (base58, plausible length); @nara/crypto parses it for real later. */
export const soulSchema = z
  .string()
  .transform((s) => s.trim())
  .refine(
    (s) => /^[1-9A-HJ-NP-Za-km-z]{50,60}$/.test(s),
    'not a soul (base58 text of 40 bytes); refusing to fall back to a shared key',
  )

export const pathSchema = z.string().min(1, 'must not be empty')

/** Parses one value; on failure records "<label>: <message>" (the value only when not secret). */
export function field<T>(
  problems: string[],
  label: string,
  schema: z.ZodType<T, string>,
  value: string | undefined,
  secret = false,
): T | undefined {
  if (value === undefined) return undefined
  const result = schema.safeParse(value)
  if (result.success) return result.data
  const message = result.error.issues.map((i) => i.message).join('; ')
  problems.push(secret ? `${label}: ${message}` : `${label}: ${message} (got "${value}")`)
  return undefined
}
