/** The agent's JSON log lines (pino), read back from a process's or a logger's output. */

/** One parsed log line: pino's `level` (10 trace .. 60 fatal), `msg`, and the line's fields. */
export interface LogLine {
  level: number
  msg: string
  [field: string]: unknown
}

/** The JSON log lines of an agent's output (other lines, e.g. stderr notes, left out). */
export function logLines(output: string): LogLine[] {
  return output
    .split('\n')
    .filter((l) => l.startsWith('{'))
    .map((l) => JSON.parse(l) as LogLine)
}
