/**
 * Configuration of the `nara` command: the only module that reads `process.env`.
 *
 * The CLI shares the agent's variables (MQTT_HOST, MQTT_PORT, MQTT_USER, MQTT_PASS, NARA_ID,
 * NARA_SOUL, NARA_DATA_DIR, NARA_TLS_CA, NARA_TLS_INSECURE) and offers a flag for each; a flag
 * wins over its variable. Secrets can come from files instead (MQTT_PASS_FILE, NARA_SOUL_FILE),
 * and a client certificate from NARA_TLS_CERT / NARA_TLS_KEY (mTLS). An empty variable counts as unset (as in the Go nara). Parsing is done
 * with zod and reports every bad variable or flag at once, naming each one and never echoing a
 * secret.
 */
import { homedir } from 'node:os'
import { join } from 'node:path'
import { z } from 'zod'
import {
  type BrokerSettings,
  brokerSettings,
  entryLabel,
  hostSchema,
  type ParsedHost,
} from './broker-settings.js'
import { ConfigError } from './errors.js'
import { resolvePassword, resolveSoulFile } from './secret-settings.js'

export type { BrokerProtocol, BrokerSettings } from './broker-settings.js'

/** The variables the CLI understands, as found in the environment (unset or empty = absent). */
export interface RawEnvironment {
  MQTT_HOST?: string
  MQTT_PORT?: string
  MQTT_USER?: string
  MQTT_PASS?: string
  MQTT_PASS_FILE?: string
  NARA_ID?: string
  NARA_SOUL?: string
  NARA_SOUL_FILE?: string
  NARA_DATA_DIR?: string
  NARA_TLS_CA?: string
  NARA_TLS_CERT?: string
  NARA_TLS_KEY?: string
  NARA_TLS_INSECURE?: string
  /** https://no-color.org: when set, the CLI never colours its output. */
  NO_COLOR?: string
}

const VARIABLES = [
  'MQTT_HOST',
  'MQTT_PORT',
  'MQTT_USER',
  'MQTT_PASS',
  'MQTT_PASS_FILE',
  'NARA_ID',
  'NARA_SOUL',
  'NARA_SOUL_FILE',
  'NARA_DATA_DIR',
  'NARA_TLS_CA',
  'NARA_TLS_CERT',
  'NARA_TLS_KEY',
  'NARA_TLS_INSECURE',
] as const satisfies readonly (keyof RawEnvironment)[]

/** Snapshot of the variables the CLI uses. Call once, in `main.ts`. */
export function readEnvironment(source: NodeJS.ProcessEnv = process.env): RawEnvironment {
  const env: RawEnvironment = {}
  for (const key of VARIABLES) {
    const value = source[key]
    if (value !== undefined && value !== '') env[key] = value
  }
  // NO_COLOR counts when present at all, even empty: the safer reading of "is set".
  if (source.NO_COLOR !== undefined) env.NO_COLOR = source.NO_COLOR
  return env
}

/** The default broker of the Go naras (upstream `-mqtt-host`). */
export const DEFAULT_MQTT_HOST = 'tls://mqtt.nara.network:8883'

/** The agent's default data directory (`~/.nara-plaza`), shared so `keyring show` finds it. */
export function defaultDataDir(): string {
  return join(homedir(), '.nara-plaza')
}

/** Flags that override the environment; every networked command accepts them. */
export interface SettingFlags {
  mqttHost?: string
  mqttPort?: string
  mqttUser?: string
  mqttPass?: string
  mqttPassFile?: string
  name?: string
  soulFile?: string
  dataDir?: string
  tlsCa?: string
  /** `--cert`: PEM client certificate (mTLS). */
  tlsCert?: string
  /** `--key`: PEM key of the client certificate. */
  tlsKey?: string
  tlsInsecure?: boolean
}

export interface Settings {
  /** The first broker of `brokers`: the one commands name in their messages. */
  broker: BrokerSettings
  /**
   * Every broker of MQTT_HOST / --mqtt-host, a comma-separated list (a cluster), in the order
   * given: the plaza shuffles them and walks to the next when one fails; `nara doctor` checks each.
   */
  brokers: BrokerSettings[]
  /** Our nara's name (NARA_ID / --name); undefined means "derive it from the soul". */
  name: string | undefined
  /** Soul text from NARA_SOUL, unless `soulFile` is given. Secret: never print it. */
  soul: string | undefined
  /** Path of a file holding the soul (--soul-file, else NARA_SOUL_FILE); wins over NARA_SOUL. */
  soulFile: string | undefined
  /** The agent's data directory (NARA_DATA_DIR / --data-dir; default `~/.nara-plaza`). */
  dataDir: string
}

const portSchema = z
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

const boolSchema = z
  .string()
  .transform((s) => s.trim().toLowerCase())
  .pipe(z.enum(['1', '0', 'true', 'false', 'yes', 'no', 'on', 'off'], 'expected true or false'))
  .transform((s) => ['1', 'true', 'yes', 'on'].includes(s))

/** Same rule as the agent: the name is used in topics. */
// "." and spaces: a NATS broker cannot carry them in a topic (docs/BROKERS.md); ":" would let a
// signature re-split (signed texts join names with ":").
const NAME_RULE =
  'expected 1-64 characters without "/", "+", "#", ".", ":", spaces or NUL (a NATS broker cannot carry "." or spaces in a topic; signed texts join names with ":")'
const nameSchema = z
  .string()
  .max(64, NAME_RULE)
  .refine((s) => s.length > 0 && !/[/+#.:\s]/.test(s) && !s.includes('\u0000'), NAME_RULE)

/** Structural check only (base58, plausible length); @nara/crypto parses it for real later. */
const soulSchema = z
  .string()
  .transform((s) => s.trim())
  .refine(
    (s) => /^[1-9A-HJ-NP-Za-km-z]{50,60}$/.test(s),
    'not a soul (base58 text of 40 bytes); refusing to fall back to a shared key',
  )

const pathSchema = z.string().min(1, 'must not be empty')

/** Parses one value; on failure records "<label>: <message>" (the value only when not secret). */
function field<T>(
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

/**
 * Merges flags over the environment and validates the result.
 * Throws {@link ConfigError} naming every bad variable or flag.
 */
export function resolveSettings(env: RawEnvironment, flags: SettingFlags = {}): Settings {
  const problems: string[] = []
  const pick = <K extends keyof SettingFlags>(flag: K, variable: keyof RawEnvironment) => {
    const fromFlag = flags[flag]
    if (fromFlag !== undefined && fromFlag !== '') return { label: flagName(flag), value: fromFlag }
    return { label: variable, value: env[variable] }
  }

  const hostIn = pick('mqttHost', 'MQTT_HOST')
  const entries = (hostIn.value ?? DEFAULT_MQTT_HOST).split(',').map((e) => e.trim())
  const hosts = entries.map((entry, i) =>
    field(problems, entryLabel(hostIn.label, i, entries.length), hostSchema, entry),
  )
  const portIn = pick('mqttPort', 'MQTT_PORT')
  const port = field(problems, portIn.label, portSchema, portIn.value as string | undefined)
  const portFromFlag = flags.mqttPort !== undefined && flags.mqttPort !== ''
  const userIn = pick('mqttUser', 'MQTT_USER')
  const password = resolvePassword(problems, env, flags)
  const nameIn = pick('name', 'NARA_ID')
  const name = field(problems, nameIn.label, nameSchema, nameIn.value as string | undefined)
  const dataIn = pick('dataDir', 'NARA_DATA_DIR')
  const dataDir = field(problems, dataIn.label, pathSchema, dataIn.value as string | undefined)
  const caIn = pick('tlsCa', 'NARA_TLS_CA')
  const tlsCaFile = field(problems, caIn.label, pathSchema, caIn.value as string | undefined)
  const certIn = pick('tlsCert', 'NARA_TLS_CERT')
  const tlsCertFile = field(problems, certIn.label, pathSchema, certIn.value as string | undefined)
  const keyIn = pick('tlsKey', 'NARA_TLS_KEY')
  const tlsKeyFile = field(problems, keyIn.label, pathSchema, keyIn.value as string | undefined)
  if ((tlsCertFile === undefined) !== (tlsKeyFile === undefined)) {
    problems.push(
      `${tlsCertFile ? certIn.label : keyIn.label}: a client certificate needs both the certificate (--cert / NARA_TLS_CERT) and its key (--key / NARA_TLS_KEY)`,
    )
  }
  const insecure =
    flags.tlsInsecure === true
      ? true
      : field(problems, 'NARA_TLS_INSECURE', boolSchema, env.NARA_TLS_INSECURE)
  const soulFile = resolveSoulFile(problems, env, flags)
  // NARA_SOUL is checked even when a soul file wins: a broken variable is worth knowing about.
  const soul = field(problems, 'NARA_SOUL', soulSchema, env.NARA_SOUL, true)

  if (problems.length > 0) throw new ConfigError(problems)
  const parsed = hosts as ParsedHost[]
  const tlsOnly = tlsCaFile
    ? caIn.label
    : tlsCertFile
      ? certIn.label
      : insecure
        ? 'NARA_TLS_INSECURE'
        : undefined
  if (!parsed.some((h) => h.protocol === 'mqtts' || h.protocol === 'wss') && tlsOnly) {
    problems.push(
      `${tlsOnly}: only applies to TLS brokers, but ${hostIn.label} uses ${parsed[0]!.protocol}:// (use tls://host:8883)`,
    )
    throw new ConfigError(problems)
  }
  const brokers = parsed.map((host) =>
    brokerSettings(host, {
      port: (portFromFlag ? port : undefined) ?? host.port ?? port,
      username: userIn.value as string | undefined,
      password: password?.value,
      tlsCaFile,
      tlsCertFile,
      tlsKeyFile,
      tlsInsecure: insecure ?? false,
    }),
  )
  const anonymous = brokers.find((b) => b.password !== undefined && b.username === undefined)
  if (anonymous) {
    throw new ConfigError(
      [
        `${password?.label ?? hostIn.label}: a password without a user name (MQTT sends a password only with a user name; the broker would close the connection)`,
      ],
      'set MQTT_USER (or -u / --mqtt-user) as well, or drop the password',
    )
  }
  return {
    broker: brokers[0]!,
    brokers,
    name,
    soul,
    soulFile,
    dataDir: dataDir ?? defaultDataDir(),
  }
}

const FLAG_NAMES: Partial<Record<keyof SettingFlags, string>> = {
  tlsCert: '--cert',
  tlsKey: '--key',
}

function flagName(flag: keyof SettingFlags): string {
  return FLAG_NAMES[flag] ?? `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}
