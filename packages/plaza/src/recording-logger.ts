import type { LogFields, Logger } from './logger.js'

/** One line recorded by a {@link RecordingLogger}. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error'
  readonly msg: string
  readonly fields: LogFields
}

/** A {@link Logger} that keeps every line, for tests that check what was (not) logged. */
export interface RecordingLogger extends Logger {
  readonly lines: LogLine[]
}

/** Creates a {@link RecordingLogger} with no lines yet. */
export function recordingLogger(): RecordingLogger {
  const lines: LogLine[] = []
  const at = (level: LogLine['level']) => (fields: LogFields, msg: string) => {
    lines.push({ level, msg, fields })
  }
  return { lines, debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') }
}
