/**
 * The agent's command line: it is configured by its environment (README "Configuration"), and
 * takes only `--help` and `--version`, which print and exit 0 without connecting. Anything else
 * is a usage error (exit 2).
 */
import { agentVersion } from './process-metrics.js'

export type CommandLine =
  | { action: 'run' }
  | { action: 'print'; text: string }
  | { action: 'usage-error'; message: string }

export const USAGE = `nara-agent: a nara on the plaza, or a local town with its own broker

Usage: nara-agent [--help | --version]

Configured by the environment (the full table: the agent's README, "Configuration"):
  MQTT_HOST            broker URL, or a comma-separated list; unset: a local town
  MQTT_USER, MQTT_PASS broker credentials (never logged)
  MQTT_PASS_FILE       the password from a file instead (keep it 0600)
  NARA_ID              the nara's name (default: derived from the soul)
  NARA_SOUL            the soul; default: generated once, kept in NARA_DATA_DIR
  NARA_SOUL_FILE       the soul from a file instead (keep it 0600)
  NARA_DATA_DIR        identity, key pins and run state (default ~/.nara-plaza)
  NARA_HTTP_HOST/PORT  the web page, /status, /metrics and /healthz (default 127.0.0.1:9632)
  NARA_LOG_LEVEL       pino level (default info); NARA_LOG_PRETTY=1 for human-readable lines
  NARA_MODE            auto, single or town; NARA_TOWN_SIZE naras in a town (default 7)

SIGINT, SIGTERM or SIGHUP stop it cleanly: every nara says chau, then disconnects (exit 0).
Exit 2: a configuration error, named on stderr.
`

/** Reads the arguments after the script name. */
export function parseCommandLine(args: readonly string[]): CommandLine {
  if (args.length === 0) return { action: 'run' }
  const [first] = args
  if (args.length === 1 && (first === '--help' || first === '-h'))
    return { action: 'print', text: USAGE }
  if (args.length === 1 && (first === '--version' || first === '-V' || first === '-v'))
    return { action: 'print', text: `nara-agent ${agentVersion()}\n` }
  // Values are never echoed: one may be a soul or a password typed as an argument.
  const options = args.filter((a) => a.startsWith('-')).map((a) => a.split('=')[0])
  const named = options.length > 0 ? ` (${options.join(' ')})` : ''
  return {
    action: 'usage-error',
    message: `nara-agent takes no arguments but --help and --version${named}; it is configured by its environment: try nara-agent --help\n`,
  }
}
