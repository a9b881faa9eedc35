/**
 * Configuration: the only module that reads the environment. Everything is parsed here with
 * zod, and a bad start names every bad variable at once.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseSoul } from '@nara/crypto'
import { z } from 'zod'
import { parseBrokerUrl, redactEntry, SCHEMES, splitHosts } from './broker-url.js'
import { GO_TIMINGS, type Timings } from './timings.js'

export { parseBrokerUrl, redactUrl } from './broker-url.js'
export type { Timings } from './timings.js'

/** Thrown by {@link loadConfig}; `issues` lists one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly issues: readonly string[]) {
    super(`invalid configuration:\n  ${issues.join('\n  ')}`)
  }
}

export interface BrokerConfig {
  /**
   * Broker URLs with their ports filled in, e.g. `mqtt://127.0.0.1:1883` (a cluster: several; the
   * plaza shuffles them per process and walks to the next when one fails).
   */
  urls: string[]
  /** The first of `urls`, for display. */
  url: string
  username: string | undefined
  password: string | undefined
  /** PEM file with the CA to trust for `mqtts://`/`tls://`/`ssl://` URLs. */
  caFile: string | undefined
  /** Skip certificate verification (the Go naras' behaviour; opt-in here). */
  tlsInsecure: boolean
}

export interface AgentConfig {
  /**
   * `town` when no broker is configured (embedded aedes and a town of naras), `single` with
   * `MQTT_HOST`. `NARA_MODE=town` runs a town against `MQTT_HOST` (tests, bench).
   */
  mode: 'single' | 'town'
  broker: BrokerConfig | undefined
  name: string | undefined
  soul: string | undefined
  dataDir: string
  /** Forced chattiness 0..100, like Go's `-force-chattiness`. */
  chattiness: number | undefined
  http: { host: string; port: number }
  log: { level: string; pretty: boolean | undefined; color: boolean }
  /**
   * Town size, and the gap between two naras' starts in ms (undefined = 100 ms above 20 naras).
   * A town is one receiver (one MQTT connection) and one speaker per nara.
   */
  town: { size: number; joinRampMs: number | undefined }
  /** From the first stop signal to a forced exit, ms (a safety net: each stop step is bounded). */
  stopDeadlineMs: number
  timings: Timings
}

export interface LoadConfigOptions {
  /** Checks that a soul text parses (base58, 40 bytes). Defaults to a structural check. */
  isValidSoul?: (soul: string) => boolean
  /** Home directory, for the default data directory. */
  homeDir?: string
}

const BASE58 = /^[1-9A-HJ-NP-Za-km-z]+$/

function structuralSoulCheck(soul: string): boolean {
  return BASE58.test(soul) && soul.length >= 50 && soul.length <= 60
}

const emptyToUndefined = (v: unknown) => (typeof v === 'string' && v.trim() === '' ? undefined : v)
const optionalString = z.preprocess(emptyToUndefined, z.string().optional())
const int = (min: number, max: number) =>
  z.preprocess(emptyToUndefined, z.coerce.number().int().min(min).max(max).optional())
const bool = z.preprocess(
  emptyToUndefined,
  z
    .enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], {
      error: 'expected one of 1, 0, true, false, yes, no, on, off',
    })
    .transform((v) => ['1', 'true', 'yes', 'on'].includes(v))
    .optional(),
)

/**
 * Topic-safe names (WIRE §9.8): no `/`, `+`, `#`, whitespace or control characters, and no `.`:
 * NATS cannot carry `.` or a space in a topic and closes the publisher's connection
 * (docs/BROKERS.md).
 */
const isTopicSafeName = (v: string) =>
  v.length >= 1 &&
  v.length <= 64 &&
  ![...v].some((ch) => '/+#.:'.includes(ch) || ch.trim() === '' || ch.charCodeAt(0) < 32)

function schema(options: LoadConfigOptions) {
  const isValidSoul = options.isValidSoul ?? structuralSoulCheck
  return z.object({
    MQTT_HOST: z.preprocess(
      emptyToUndefined,
      z
        .string()
        .superRefine((v, ctx) => {
          const bad = splitHosts(v).find((entry) => parseBrokerUrl(entry) === undefined)
          if (bad === undefined) return
          ctx.addIssue({
            code: 'custom',
            message: `${bad === '' ? 'an empty entry' : `"${redactEntry(bad)}"`} is not a broker URL (expected a comma-separated list of URLs like mqtt://host:1883, tcp://host, tls://host:8883, ws://host/path)`,
          })
        })
        .optional(),
    ),
    MQTT_PORT: int(1, 65535),
    MQTT_USER: optionalString,
    MQTT_PASS: optionalString,
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
        .refine((v) => isValidSoul(v.trim()), {
          error: 'not a soul (base58 text of 40 bytes); refusing to fall back to a shared key',
        })
        .optional(),
    ),
    NARA_DATA_DIR: optionalString,
    NARA_TLS_CA: optionalString,
    NARA_TLS_INSECURE: bool,
    NARA_CHATTINESS: int(0, 100),
    NARA_HTTP_PORT: int(0, 65535),
    NARA_HTTP_HOST: optionalString,
    NARA_LOG_LEVEL: z.preprocess(
      emptyToUndefined,
      z.enum(['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent']).optional(),
    ),
    NARA_LOG_PRETTY: bool,
    NO_COLOR: z.string().optional(),
    NARA_TOWN_SIZE: int(1, 5000),
    NARA_MODE: z.preprocess(emptyToUndefined, z.enum(['auto', 'single', 'town']).optional()),
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

/** A soul text that `@nara/crypto` parses (base58 of 40 bytes). */
function parsesAsSoul(soul: string): boolean {
  try {
    parseSoul(soul)
    return true
  } catch {
    return false
  }
}

/**
 * The configuration of this process: `process.env`, souls checked by `@nara/crypto`. The only
 * place the agent reads its environment.
 * @throws ConfigError naming every bad variable
 */
export function configFromEnvironment(): AgentConfig {
  return loadConfig(process.env, { isValidSoul: parsesAsSoul })
}

/** Parses the environment. Pure: pass a literal object (tests) or see {@link configFromEnvironment}. */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: LoadConfigOptions = {},
): AgentConfig {
  const parsed = schema(options).safeParse(env)
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${String(i.path[0] ?? '?')}: ${i.message}`)
    throw new ConfigError([...new Set(issues)])
  }
  const e = parsed.data
  let broker: BrokerConfig | undefined
  if (e.MQTT_HOST !== undefined) {
    const parsedUrls = splitHosts(e.MQTT_HOST).map((entry) => {
      const url = parseBrokerUrl(entry)!
      if (url.port === '') url.port = String(e.MQTT_PORT ?? SCHEMES[url.protocol])
      return url
    })
    const urls = parsedUrls.map((url) => url.toString().replace(/\/$/, ''))
    const first = parsedUrls[0]!
    broker = {
      urls,
      url: urls[0]!,
      username: e.MQTT_USER ?? (first.username ? decodeURIComponent(first.username) : undefined),
      password: e.MQTT_PASS ?? (first.password ? decodeURIComponent(first.password) : undefined),
      caFile: e.NARA_TLS_CA,
      tlsInsecure: e.NARA_TLS_INSECURE ?? false,
    }
  }
  const mode = e.NARA_MODE === 'town' || (e.NARA_MODE !== 'single' && !broker) ? 'town' : 'single'
  if (mode === 'single' && !broker) {
    throw new ConfigError([
      'NARA_MODE: "single" needs MQTT_HOST (a town without MQTT_HOST embeds its own broker)',
    ])
  }
  return {
    mode,
    broker,
    name: e.NARA_ID,
    soul: e.NARA_SOUL?.trim(),
    dataDir: e.NARA_DATA_DIR ?? join(options.homeDir ?? homedir(), '.nara-plaza'),
    chattiness: e.NARA_CHATTINESS,
    http: { host: e.NARA_HTTP_HOST ?? '127.0.0.1', port: e.NARA_HTTP_PORT ?? 9632 },
    log: {
      level: e.NARA_LOG_LEVEL ?? 'info',
      pretty: e.NARA_LOG_PRETTY,
      color: e.NO_COLOR === undefined,
    },
    town: {
      size: e.NARA_TOWN_SIZE ?? 7,
      joinRampMs: e.NARA_TOWN_JOIN_RAMP_MS,
    },
    stopDeadlineMs: (e.NARA_STOP_DEADLINE_S ?? 15) * 1000,
    timings: {
      missingAfterS: e.NARA_MISSING_AFTER_S ?? GO_TIMINGS.missingAfterS,
      gossipMissingAfterS: e.NARA_GOSSIP_MISSING_AFTER_S ?? GO_TIMINGS.gossipMissingAfterS,
      newspaperPeriodS: e.NARA_NEWSPAPER_PERIOD_S,
      joinJitterMaxMs: e.NARA_JOIN_JITTER_MAX_MS ?? GO_TIMINGS.joinJitterMaxMs,
      howdyDelayMaxMs: e.NARA_HOWDY_DELAY_MAX_MS ?? GO_TIMINGS.howdyDelayMaxMs,
      checkpointEveryS: e.NARA_CHECKPOINT_EVERY_S ?? GO_TIMINGS.checkpointEveryS,
      checkpointCheckS: e.NARA_CHECKPOINT_CHECK_S ?? GO_TIMINGS.checkpointCheckS,
      checkpointVoteWindowS: e.NARA_CHECKPOINT_VOTE_WINDOW_S ?? GO_TIMINGS.checkpointVoteWindowS,
      checkpointMinPeers: e.NARA_CHECKPOINT_MIN_PEERS ?? GO_TIMINGS.checkpointMinPeers,
      checkpointFinalMinValid:
        e.NARA_CHECKPOINT_FINAL_MIN_VALID ?? GO_TIMINGS.checkpointFinalMinValid,
      goReannounceS: e.NARA_GO_REANNOUNCE_S ?? GO_TIMINGS.goReannounceS,
      howdyObservationsMax: e.NARA_HOWDY_OBSERVATIONS_MAX,
    },
  }
}
