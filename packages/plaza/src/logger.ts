/** Structured fields of a log line. */
export type LogFields = Record<string, unknown>

/**
 * A pino-compatible logger: `(fields, message)`. The plaza never calls `console`; pass your
 * pino instance (or anything with these four methods). Broker URLs are logged without
 * credentials and keys or souls are never logged.
 */
export interface Logger {
  debug(fields: LogFields, message: string): void
  info(fields: LogFields, message: string): void
  warn(fields: LogFields, message: string): void
  error(fields: LogFields, message: string): void
}

/** Discards everything. The default. */
export const silentLogger: Logger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
}
