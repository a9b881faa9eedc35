/**
 * Configuration: the only module that reads the environment. Everything is parsed here with
 * zod, and a bad start names every bad variable at once.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { parseSoul } from '@nara/crypto'
import { parseBrokerUrl, SCHEMES, splitHosts } from './broker-url.js'
import { type Env, envSchema, structuralSoulCheck } from './config-schema.js'
import { type FileReader, nodeFileReader, resolveSecrets } from './secret-file.js'
import { GO_TIMINGS, type Timings } from './timings.js'

export { parseBrokerUrl, redactUrl } from './broker-url.js'
export type { Timings } from './timings.js'

/** Thrown by {@link loadConfig}; `issues` lists one line per bad variable. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError'
  constructor(readonly issues: readonly string[]) {
    super(
      issues.length === 1
        ? `invalid configuration: ${issues[0]}`
        : `invalid configuration:\n  ${issues.join('\n  ')}`,
    )
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
  /**
   * The status endpoint: `fallbackPorts` following ports are tried when `port` is taken (the
   * default port only; an explicit `NARA_HTTP_PORT` is used or refused).
   */
  http: { host: string; port: number; fallbackPorts: number }
  /** Things to log once at start (a secret file others can read). */
  warnings: string[]
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
  /** Reads `NARA_SOUL_FILE` and `MQTT_PASS_FILE` (default: `node:fs`). */
  files?: FileReader
}

/** Ports after the default 9632 tried when it is taken (by another nara on this host). */
export const DEFAULT_FALLBACK_PORTS = 16

/** Variables whose value is never echoed in an error (MQTT_HOST quotes its bad entry itself). */
const NOT_ECHOED: ReadonlySet<string> = new Set(['MQTT_HOST', 'MQTT_PASS', 'NARA_SOUL'])

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

/** Parses the environment. Pure apart from reading the `*_FILE` secrets (`options.files`). */
export function loadConfig(
  env: Record<string, string | undefined>,
  options: LoadConfigOptions = {},
): AgentConfig {
  const isValidSoul = options.isValidSoul ?? structuralSoulCheck
  const parsed = envSchema(isValidSoul).safeParse(env)
  if (!parsed.success) throw new ConfigError(issueLines(parsed.error.issues, env))
  const e = parsed.data
  const secret = resolveSecrets(e, options.files ?? nodeFileReader, isValidSoul)
  const broker = e.MQTT_HOST === undefined ? undefined : brokerFrom(e, e.MQTT_HOST, secret.pass)
  if (broker?.password !== undefined && broker.username === undefined) {
    const from =
      e.MQTT_PASS !== undefined ? 'MQTT_PASS' : e.MQTT_PASS_FILE ? 'MQTT_PASS_FILE' : 'MQTT_HOST'
    secret.issues.push(
      `${from}: a password without a user name (MQTT sends a password only with a user): set MQTT_USER too`,
    )
  }
  if (secret.issues.length > 0) throw new ConfigError(secret.issues)
  return {
    mode: modeOf(e, broker),
    broker,
    name: e.NARA_ID,
    soul: secret.soul,
    warnings: secret.warnings,
    dataDir: e.NARA_DATA_DIR ?? join(options.homeDir ?? homedir(), '.nara-plaza'),
    chattiness: e.NARA_CHATTINESS,
    http: {
      host: e.NARA_HTTP_HOST ?? '127.0.0.1',
      port: e.NARA_HTTP_PORT ?? 9632,
      // The default port is a wish (another nara may hold it); NARA_HTTP_PORT is a must.
      fallbackPorts: e.NARA_HTTP_PORT === undefined ? DEFAULT_FALLBACK_PORTS : 0,
    },
    log: {
      level: e.NARA_LOG_LEVEL ?? 'info',
      pretty: e.NARA_LOG_PRETTY,
      color: e.NO_COLOR === undefined,
    },
    town: { size: e.NARA_TOWN_SIZE ?? 7, joinRampMs: e.NARA_TOWN_JOIN_RAMP_MS },
    stopDeadlineMs: (e.NARA_STOP_DEADLINE_S ?? 15) * 1000,
    timings: timingsFrom(e),
  }
}

/** One line per bad variable (each once), its value quoted unless it is a secret. */
function issueLines(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  env: Record<string, string | undefined>,
): string[] {
  const lines = issues.map((i) => {
    const variable = String(i.path[0] ?? '?')
    const value = env[variable]
    const echo = NOT_ECHOED.has(variable) || value === undefined ? '' : ` (got "${value}")`
    return `${variable}: ${i.message}${echo}`
  })
  return [...new Set(lines)]
}

/** The broker of `MQTT_HOST` (one URL or several), each with its port filled in. */
function brokerFrom(e: Env, hosts: string, pass: string | undefined): BrokerConfig {
  const parsedUrls = splitHosts(hosts).map((entry) => {
    const url = parseBrokerUrl(entry)!
    if (url.port === '') url.port = String(e.MQTT_PORT ?? SCHEMES[url.protocol])
    return url
  })
  const urls = parsedUrls.map((url) => url.toString().replace(/\/$/, ''))
  const first = parsedUrls[0]!
  return {
    urls,
    url: urls[0]!,
    username: e.MQTT_USER ?? (first.username ? decodeURIComponent(first.username) : undefined),
    password: pass ?? (first.password ? decodeURIComponent(first.password) : undefined),
    caFile: e.NARA_TLS_CA,
    tlsInsecure: e.NARA_TLS_INSECURE ?? false,
  }
}

/** A town without a broker or with `NARA_MODE=town`; `single` needs a broker. */
function modeOf(e: Env, broker: BrokerConfig | undefined): AgentConfig['mode'] {
  const mode = e.NARA_MODE === 'town' || (e.NARA_MODE !== 'single' && !broker) ? 'town' : 'single'
  if (mode === 'single' && !broker) {
    throw new ConfigError([
      'NARA_MODE: "single" needs MQTT_HOST (a town without MQTT_HOST embeds its own broker)',
    ])
  }
  return mode
}

/** The timings, Go's where a variable is unset. */
function timingsFrom(e: Env): Timings {
  return {
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
  }
}
