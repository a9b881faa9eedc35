/**
 * Structured JSON logs (pino). Pretty, human-readable lines when stdout is a terminal or
 * `NARA_LOG_PRETTY` is set; JSON lines otherwise. The destination is a stream (main passes a
 * {@link SafeSink} on stdout, so a closed terminal or pipe never crashes the agent). Every line
 * is scrubbed before it is written: URL passwords and the given `secrets` become `***`.
 */
import type { Writable } from 'node:stream'
import { type Logger as PinoLogger, pino } from 'pino'
import pretty from 'pino-pretty'
import { secretScrubber } from './secrets.js'

export type Logger = PinoLogger

export interface LoggerOptions {
  level: string
  /** Forced pretty mode; undefined = pretty when stdout is a TTY. */
  pretty: boolean | undefined
  /** Colours in pretty mode (off with `NO_COLOR`). */
  color?: boolean
  /** Where lines go (default: pino's stdout destination). */
  destination?: Writable
  /** Strings never to write (the broker password, the soul): replaced by `***` in every line. */
  secrets?: readonly (string | undefined)[]
}

export function createLogger(options: LoggerOptions): Logger {
  const usePretty = options.pretty ?? Boolean(process.stdout.isTTY)
  const scrub = secretScrubber(options.secrets ?? [])
  const base = { level: options.level, base: undefined, hooks: { streamWrite: scrub } }
  if (usePretty) {
    return pino(
      base,
      pretty({
        colorize: Boolean(process.stdout.isTTY) && options.color !== false,
        translateTime: 'HH:MM:ss.l',
        ignore: 'pid,hostname,nara',
        // The nara whose view a line is, in brackets: `WARN: [alice] key conflict ... peer=zed`.
        messageFormat: '{if nara}[{nara}] {end}{msg}',
        singleLine: true,
        sync: true,
        destination: options.destination ?? 1,
      }),
    )
  }
  return options.destination ? pino(base, options.destination) : pino(base)
}

/**
 * The plaza's lines that repeat an event the agent logs itself, from its own view and once per
 * change (`join.ts`, `inbound-diagnostics.ts`): at debug, so each event is one line.
 */
const EVENT_LINES: ReadonlySet<string> = new Set([
  'key conflict',
  'topic-only pin superseded',
  'plaza connected',
  'plaza disconnected',
  'plaza connection problem',
  'plaza reconnect scheduled',
])

type Fields = Record<string, unknown>
type Line = (fields: Fields, message: string) => void

/**
 * The logger handed to the plaza: its lines that repeat an event go to debug, and its `name`
 * field (the peer a line is about) becomes `peer`, which pino-pretty cannot mistake for the
 * logger's name (`WARN (zed): ...` read as if zed said it).
 */
export function plazaLogger(logger: Logger): {
  debug: Line
  info: Line
  warn: Line
  error: Line
} {
  const fix = (fields: Fields): Fields => {
    if (!('name' in fields)) return fields
    const { name, ...rest } = fields
    return { ...rest, peer: name }
  }
  const at =
    (level: 'info' | 'warn'): Line =>
    (fields, message) => {
      if (EVENT_LINES.has(message)) logger.debug(fix(fields), message)
      else logger[level](fix(fields), message)
    }
  return {
    debug: (fields, message) => logger.debug(fix(fields), message),
    info: at('info'),
    warn: at('warn'),
    error: (fields, message) => logger.error(fix(fields), message),
  }
}
