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
        messageFormat: '{if nara}{nara}: {end}{msg}',
        singleLine: true,
        sync: true,
        destination: options.destination ?? 1,
      }),
    )
  }
  return options.destination ? pino(base, options.destination) : pino(base)
}
