/**
 * What every command receives: its I/O, the environment snapshot taken by `main.ts`, and an
 * abort signal wired to SIGINT/SIGTERM. Commands never touch `process` themselves.
 */
import type { Command } from 'commander'
import { type RawEnvironment, resolveSettings, type SettingFlags, type Settings } from './config.js'
import type { Io } from './output.js'

export interface CliContext {
  io: Io
  env: RawEnvironment
  version: string
  /** Aborted on SIGINT/SIGTERM: long-running commands stop cleanly and exit 0. */
  signal: AbortSignal
  /** The exit code the process ends with; commands set it, errors override it. */
  exitCode: number
}

/**
 * Adds the broker flags (each one overrides its environment variable), with mosquitto_sub's
 * short forms: `-h` host, `-p` port, `-u` user, `-P` password, `--cafile`, `--cert`, `--key`.
 * On these commands `-h` is the host, so help is `--help` only (said in the help text).
 */
export function addBrokerOptions(command: Command): Command {
  return command
    .helpOption('--help', 'show help for the command (-h is the broker host, as in mosquitto_sub)')
    .option(
      '-h, --mqtt-host <url>',
      'broker URL, e.g. tls://host:8883 or mqtt://127.0.0.1 (MQTT_HOST)',
    )
    .option('-p, --mqtt-port <port>', 'broker port when the URL has none (MQTT_PORT)')
    .option('-u, --mqtt-user <user>', 'broker user name (MQTT_USER)')
    .option('-P, --mqtt-pass <password>', 'broker password (MQTT_PASS); prefer --mqtt-pass-file')
    .option('--mqtt-pass-file <file>', 'file holding the broker password (MQTT_PASS_FILE)')
    .option(
      '--tls-ca, --cafile <file>',
      'PEM file of the CA to trust for TLS brokers (NARA_TLS_CA)',
    )
    .option('--cert <file>', 'PEM client certificate for mTLS (NARA_TLS_CERT)')
    .option('--key <file>', 'PEM key of the client certificate (NARA_TLS_KEY)')
    .option('--tls-insecure', 'do not verify the broker certificate (NARA_TLS_INSECURE)')
    .addHelpText(
      'after',
      '\nHere -h is the broker host (as in mosquitto_sub -h); --help shows this help.',
    )
}

/** Adds the flags of commands that verify what they hear: the pins, and the connect bound. */
export function addWatcherOptions(command: Command): Command {
  return command
    .option(
      '--keyring <file>',
      'pins to verify against (default: the agent keyring in the data directory, if any)',
    )
    .option('--connect-timeout <seconds>', 'give up connecting after this long (default 15)')
}

/** Adds the identity flags: who we are when we sign. */
export function addIdentityOptions(command: Command): Command {
  return command
    .option('--name <name>', 'our nara name; default: derived from the soul (NARA_ID)')
    .option('--soul-file <file>', 'file holding our soul (NARA_SOUL_FILE); wins over NARA_SOUL')
}

/** Adds the data-directory flag. */
export function addDataDirOption(command: Command): Command {
  return command.option(
    '--data-dir <dir>',
    "the agent's data directory; default ~/.nara-plaza (NARA_DATA_DIR)",
  )
}

/** The flags as commander names them (`--cafile` is `--tls-ca`; `--cert`, `--key`). */
export interface CommandSettingFlags extends Omit<SettingFlags, 'tlsCert' | 'tlsKey'> {
  cafile?: string
  cert?: string
  key?: string
}

/** Merges a command's flags over the environment (throws ConfigError naming every bad one). */
export function settingsFor(ctx: CliContext, flags: CommandSettingFlags): Settings {
  return resolveSettings(ctx.env, {
    mqttHost: flags.mqttHost,
    mqttPort: flags.mqttPort,
    mqttUser: flags.mqttUser,
    mqttPass: flags.mqttPass,
    mqttPassFile: flags.mqttPassFile,
    name: flags.name,
    soulFile: flags.soulFile,
    dataDir: flags.dataDir,
    tlsCa: flags.tlsCa ?? flags.cafile,
    tlsCert: flags.cert,
    tlsKey: flags.key,
    tlsInsecure: flags.tlsInsecure,
  })
}

/** Formats an examples block for `--help`: a comment line, then the command. */
export function examples(lines: [command: string, what: string][]): string {
  return `\nExamples:\n${lines.map(([c, w]) => `  # ${w}\n  $ ${c}`).join('\n')}\n`
}
