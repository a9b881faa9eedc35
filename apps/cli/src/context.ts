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

/** Adds the broker flags (each one overrides its environment variable). */
export function addBrokerOptions(command: Command): Command {
  return command
    .option('--mqtt-host <url>', 'broker URL, e.g. tls://host:8883 or mqtt://127.0.0.1 (MQTT_HOST)')
    .option('--mqtt-port <port>', 'broker port when the URL has none (MQTT_PORT)')
    .option('--mqtt-user <user>', 'broker user name (MQTT_USER)')
    .option('--mqtt-pass <password>', 'broker password (MQTT_PASS)')
    .option('--tls-ca <file>', 'PEM file of the CA to trust for TLS brokers (NARA_TLS_CA)')
    .option('--tls-insecure', 'do not verify the broker certificate (NARA_TLS_INSECURE)')
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
    .option('--soul-file <file>', 'file holding our soul; wins over NARA_SOUL')
}

/** Adds the data-directory flag. */
export function addDataDirOption(command: Command): Command {
  return command.option(
    '--data-dir <dir>',
    "the agent's data directory; default ~/.nara-plaza (NARA_DATA_DIR)",
  )
}

/** Merges a command's flags over the environment (throws ConfigError naming every bad one). */
export function settingsFor(ctx: CliContext, flags: SettingFlags): Settings {
  return resolveSettings(ctx.env, {
    mqttHost: flags.mqttHost,
    mqttPort: flags.mqttPort,
    mqttUser: flags.mqttUser,
    mqttPass: flags.mqttPass,
    name: flags.name,
    soulFile: flags.soulFile,
    dataDir: flags.dataDir,
    tlsCa: flags.tlsCa,
    tlsInsecure: flags.tlsInsecure,
  })
}

/** Formats an examples block for `--help`: a comment line, then the command. */
export function examples(lines: [command: string, what: string][]): string {
  return `\nExamples:\n${lines.map(([c, w]) => `  # ${w}\n  $ ${c}`).join('\n')}\n`
}
