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
import {
  type BrokerSettings,
  brokerSettings,
  entryLabel,
  hostSchema,
  type ParsedHost,
} from './broker-settings.js'
import { ConfigError } from './errors.js'
import { resolvePassword, resolveSoulFile, type SecretValue } from './secret-settings.js'
import {
  boolSchema,
  field,
  nameSchema,
  pathSchema,
  portSchema,
  soulSchema,
} from './setting-fields.js'

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

/** A setting's value and the flag or variable it came from. */
interface Sourced {
  label: string
  value: string | undefined
}

/** The flag when given (and not empty), else its variable. */
function pick(
  env: RawEnvironment,
  flags: SettingFlags,
  flag: keyof SettingFlags,
  variable: keyof RawEnvironment,
): Sourced {
  const fromFlag = flags[flag]
  if (typeof fromFlag === 'string' && fromFlag !== '') {
    return { label: flagName(flag), value: fromFlag }
  }
  return { label: variable, value: env[variable] }
}

/** The TLS files and switch, and the first of them given (TLS brokers only), by its label. */
interface TlsInput {
  caFile: string | undefined
  certFile: string | undefined
  keyFile: string | undefined
  insecure: boolean | undefined
  /** The flag or variable of the first TLS-only setting given, if any. */
  given: string | undefined
}

function parseTls(problems: string[], env: RawEnvironment, flags: SettingFlags): TlsInput {
  const caIn = pick(env, flags, 'tlsCa', 'NARA_TLS_CA')
  const caFile = field(problems, caIn.label, pathSchema, caIn.value)
  const certIn = pick(env, flags, 'tlsCert', 'NARA_TLS_CERT')
  const certFile = field(problems, certIn.label, pathSchema, certIn.value)
  const keyIn = pick(env, flags, 'tlsKey', 'NARA_TLS_KEY')
  const keyFile = field(problems, keyIn.label, pathSchema, keyIn.value)
  if ((certFile === undefined) !== (keyFile === undefined)) {
    problems.push(
      `${certFile ? certIn.label : keyIn.label}: a client certificate needs both the certificate (--cert / NARA_TLS_CERT) and its key (--key / NARA_TLS_KEY)`,
    )
  }
  const insecure =
    flags.tlsInsecure === true
      ? true
      : field(problems, 'NARA_TLS_INSECURE', boolSchema, env.NARA_TLS_INSECURE)
  const given = caFile
    ? caIn.label
    : certFile
      ? certIn.label
      : insecure
        ? 'NARA_TLS_INSECURE'
        : undefined
  return { caFile, certFile, keyFile, insecure, given }
}

/** Every setting, parsed on its own; what is wrong is pushed to `problems`. */
interface SettingsInput {
  hostLabel: string
  hosts: (ParsedHost | undefined)[]
  port: number | undefined
  portFromFlag: boolean
  user: string | undefined
  password: SecretValue | undefined
  name: string | undefined
  dataDir: string | undefined
  tls: TlsInput
  soulFile: string | undefined
  soul: string | undefined
}

function parseSettings(
  problems: string[],
  env: RawEnvironment,
  flags: SettingFlags,
): SettingsInput {
  const hostIn = pick(env, flags, 'mqttHost', 'MQTT_HOST')
  const entries = (hostIn.value ?? DEFAULT_MQTT_HOST).split(',').map((e) => e.trim())
  const hosts = entries.map((entry, i) =>
    field(problems, entryLabel(hostIn.label, i, entries.length), hostSchema, entry),
  )
  const portIn = pick(env, flags, 'mqttPort', 'MQTT_PORT')
  const port = field(problems, portIn.label, portSchema, portIn.value)
  const portFromFlag = flags.mqttPort !== undefined && flags.mqttPort !== ''
  const user = pick(env, flags, 'mqttUser', 'MQTT_USER').value
  const password = resolvePassword(problems, env, flags)
  const nameIn = pick(env, flags, 'name', 'NARA_ID')
  const name = field(problems, nameIn.label, nameSchema, nameIn.value)
  const dataIn = pick(env, flags, 'dataDir', 'NARA_DATA_DIR')
  const dataDir = field(problems, dataIn.label, pathSchema, dataIn.value)
  const tls = parseTls(problems, env, flags)
  const soulFile = resolveSoulFile(problems, env, flags)
  // NARA_SOUL is checked even when a soul file wins: a broken variable is worth knowing about.
  const soul = field(problems, 'NARA_SOUL', soulSchema, env.NARA_SOUL, true)
  const hostLabel = hostIn.label
  return {
    hostLabel,
    hosts,
    port,
    portFromFlag,
    user,
    password,
    name,
    dataDir,
    tls,
    soulFile,
    soul,
  }
}

/** The settings of each broker of the list, from settings that parsed without a problem. */
function brokerList(input: SettingsInput): BrokerSettings[] {
  const hosts = input.hosts as ParsedHost[]
  const { tls } = input
  if (!hosts.some((h) => h.protocol === 'mqtts' || h.protocol === 'wss') && tls.given) {
    throw new ConfigError([
      `${tls.given}: only applies to TLS brokers, but ${input.hostLabel} uses ${hosts[0]!.protocol}:// (use tls://host:8883)`,
    ])
  }
  const brokers = hosts.map((host) =>
    brokerSettings(host, {
      port: (input.portFromFlag ? input.port : undefined) ?? host.port ?? input.port,
      username: input.user,
      password: input.password?.value,
      tlsCaFile: tls.caFile,
      tlsCertFile: tls.certFile,
      tlsKeyFile: tls.keyFile,
      tlsInsecure: tls.insecure ?? false,
    }),
  )
  if (brokers.some((b) => b.password !== undefined && b.username === undefined)) {
    throw new ConfigError(
      [
        `${input.password?.label ?? input.hostLabel}: a password without a user name (MQTT sends a password only with a user name; the broker would close the connection)`,
      ],
      'set MQTT_USER (or -u / --mqtt-user) as well, or drop the password',
    )
  }
  return brokers
}

/**
 * Merges flags over the environment and validates the result.
 * Throws {@link ConfigError} naming every bad variable or flag.
 */
export function resolveSettings(env: RawEnvironment, flags: SettingFlags = {}): Settings {
  const problems: string[] = []
  const input = parseSettings(problems, env, flags)
  if (problems.length > 0) throw new ConfigError(problems)
  const brokers = brokerList(input)
  return {
    broker: brokers[0]!,
    brokers,
    name: input.name,
    soul: input.soul,
    soulFile: input.soulFile,
    dataDir: input.dataDir ?? defaultDataDir(),
  }
}

const FLAG_NAMES: Partial<Record<keyof SettingFlags, string>> = {
  tlsCert: '--cert',
  tlsKey: '--key',
}

function flagName(flag: keyof SettingFlags): string {
  return FLAG_NAMES[flag] ?? `--${flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`
}
