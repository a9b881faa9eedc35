/**
 * Where a command's words go. Results go to stdout, diagnostics to stderr. Colour is used only
 * when stdout is a TTY and NO_COLOR is not set. `--json` output is one JSON value per line, with
 * bigints written as decimal strings (SyncEvent `ts` values do not fit in a double).
 */
import Table from 'cli-table3'
import picocolors from 'picocolors'
import type { CliError } from './errors.js'

export type Colors = ReturnType<typeof picocolors.createColors>

export interface WritableLike {
  write(chunk: string): unknown
  isTTY?: boolean
}

/** The I/O a command may use; built once in `main.ts`, replaced by fakes in unit tests. */
export interface Io {
  stdin: NodeJS.ReadableStream
  stdout: WritableLike
  stderr: WritableLike
  /** Colours for stdout (all identity functions when colour is off). */
  color: Colors
  /** Colours for stderr. */
  colorErr: Colors
}

export function createIo(options: {
  stdin: NodeJS.ReadableStream
  stdout: WritableLike
  stderr: WritableLike
  noColor: boolean
}): Io {
  const { stdin, stdout, stderr, noColor } = options
  return {
    stdin,
    stdout,
    stderr,
    color: picocolors.createColors(!noColor && stdout.isTTY === true),
    colorErr: picocolors.createColors(!noColor && stderr.isTTY === true),
  }
}

/** Writes one line of text to stdout. */
export function printLine(io: Io, text = ''): void {
  io.stdout.write(`${text}\n`)
}

/** JSON with bigints as decimal strings and `undefined` fields dropped. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? v.toString() : v))
}

/** Writes one JSON value as one line to stdout. */
export function printJson(io: Io, value: unknown): void {
  io.stdout.write(`${toJson(value)}\n`)
}

/** Writes a diagnostic line to stderr. */
export function warn(io: Io, text: string): void {
  io.stderr.write(`${io.colorErr.yellow('warning:')} ${text}\n`)
}

/** Writes an informational line to stderr (good news about the connection, progress). */
export function info(io: Io, text: string): void {
  io.stderr.write(`${io.colorErr.dim('info:')} ${text}\n`)
}

/** Writes a connection note of a long-running command (`warning:` or `info:`) to stderr. */
export function note(io: Io, n: { level: 'warning' | 'info'; text: string }): void {
  if (n.level === 'warning') warn(io, n.text)
  else info(io, n.text)
}

/** Reports a failure on stderr: what went wrong, then what to do. */
export function printError(io: Io, error: CliError): void {
  io.stderr.write(`${io.colorErr.red('error:')} ${error.message}\n`)
  if (error.hint) io.stderr.write(`${io.colorErr.dim('  fix:')} ${error.hint}\n`)
}

/** A table for humans; borders stay plain ASCII-free box drawing, colour follows `io`. */
export function renderTable(io: Io, head: string[], rows: string[][]): string {
  const table = new Table({
    head: head.map((h) => io.color.bold(h)),
    style: { head: [], border: [] },
  })
  for (const row of rows) table.push(row)
  return table.toString()
}

/** "12s", "3m05s", "2h10m": a compact age. */
export function formatAge(ageMs: number): string {
  if (!Number.isFinite(ageMs) || ageMs < 0) return '-'
  const s = Math.floor(ageMs / 1000)
  if (s < 60) return `${s}s`
  const m = Math.floor(s / 60)
  if (m < 60) return `${m}m${String(s % 60).padStart(2, '0')}s`
  const h = Math.floor(m / 60)
  return `${h}h${String(m % 60).padStart(2, '0')}m`
}
