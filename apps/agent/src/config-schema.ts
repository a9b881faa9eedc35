/**
 * The zod schema of the agent's environment: every variable, how each is read, and the messages
 * that say what is allowed. Messages follow the CLI's: `VARIABLE: what is allowed (got "value")`,
 * the value left out for secrets (see `config.ts`).
 */
import { z } from 'zod'
import { brokerUrlProblem, splitHosts } from './broker-url.js'
import { SOUL_RULE } from './secret-file.js'

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

/** Every variable the agent reads; `isValidSoul` checks `NARA_SOUL`. */
export function envSchema(isValidSoul: (soul: string) => boolean) {
  return z.object({
    MQTT_HOST: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .superRefine((v, ctx) => {
          const problem = splitHosts(v)
            .map(brokerUrlProblem)
            .find((p) => p !== undefined)
          if (problem !== undefined) ctx.addIssue({ code: 'custom', message: problem })
        })
        .optional(),
    ),
    MQTT_PORT: int(1, 65535, 'a port number'),
    MQTT_USER: optionalString,
    MQTT_PASS: optionalString,
    MQTT_PASS_FILE: optionalString,
    NARA_ID: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine(isTopicSafeName, {
          error:
            'expected 1-64 characters without "/", "+", "#", ".", ":", spaces or NUL (a NATS broker cannot carry "." or spaces in a topic; signed texts join names with ":")',
        })
        .optional(),
    ),
    NARA_SOUL: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .refine((v) => isValidSoul(v.trim()), { error: `not ${SOUL_RULE}` })
        .optional(),
    ),
    NARA_SOUL_FILE: optionalString,
    NARA_DATA_DIR: optionalString,
    NARA_TLS_CA: optionalString,
    NARA_TLS_INSECURE: bool,
    NARA_CHATTINESS: int(0, 100),
    NARA_HTTP_PORT: int(0, 65535, 'a port number'),
    NARA_HTTP_HOST: optionalString,
    NARA_LOG_LEVEL: oneOf(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']),
    NARA_LOG_PRETTY: bool,
    NO_COLOR: z.string().optional(),
    NARA_TOWN_SIZE: int(1, 5000),
    NARA_MODE: oneOf(['auto', 'single', 'town']),
    NARA_MISSING_AFTER_S: int(1, 86_400),
    NARA_GOSSIP_MISSING_AFTER_S: int(1, 86_400),
    NARA_NEWSPAPER_PERIOD_S: int(1, 3600),
    NARA_JOIN_JITTER_MAX_MS: int(0, 60_000),
    NARA_HOWDY_DELAY_MAX_MS: int(0, 60_000),
    NARA_CHECKPOINT_EVERY_S: int(1, 30 * 86_400),
    NARA_CHECKPOINT_CHECK_S: int(1, 86_400),
    NARA_CHECKPOINT_VOTE_WINDOW_S: int(1, 3600),
    NARA_CHECKPOINT_MIN_PEERS: int(0, 10_000),
    NARA_CHECKPOINT_FINAL_MIN_VALID: int(2, 10),
    NARA_GO_REANNOUNCE_S: int(10, 299),
    NARA_HOWDY_OBSERVATIONS_MAX: int(0, 100_000),
    NARA_TOWN_JOIN_RAMP_MS: int(0, 60_000),
    NARA_STOP_DEADLINE_S: int(1, 3600),
  })
}

/** The environment as parsed by {@link envSchema}. */
export type Env = z.infer<ReturnType<typeof envSchema>>
