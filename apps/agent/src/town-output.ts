/**
 * What the town writes: on a TTY its screen (`town-screen.ts`), redrawn by the town every second;
 * without one, JSON log lines only (the table as a `town table` line, a `town summary` line above
 * {@link DETAILED_MAX} naras). Nothing once the output is closed (EPIPE/EIO, a closed terminal).
 */
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import { describeShow, type ShowScript } from './town-cadence.js'
import { DETAILED_MAX } from './town-http.js'
import type { TownSummary } from './town-report.js'
import { renderScreen } from './town-screen.js'
import type { TownRow } from './town-table.js'

export interface TownOutputOptions {
  size: number
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number }
  outClosed?: () => boolean
  color: boolean
  logger: Logger
  clock: Clock
  show: ShowScript | undefined
  /** The broker in use (redacted), the status server's base URL and whether it serves the page. */
  where: () => { broker: string | undefined; http: string | undefined; page: boolean }
  rows: () => TownRow[]
  summary: () => TownSummary
  events: () => string[]
  warnings: () => string[]
}

/** The header: where the town runs, its /status URL, its cadences. */
export function townHeader(o: TownOutputOptions): string[] {
  const { broker, http, page } = o.where()
  return [
    `nara plaza · town of ${o.size} on ${broker ?? '…'} · Ctrl-C to stop`,
    ...(http ? [`status ${http}/status${page ? ` · page ${http}/` : ''}`] : []),
    ...(o.show ? [describeShow(o.size, o.show)] : []),
  ]
}

/** Draws the town once: the screen on a TTY, a JSON log line otherwise. */
export function drawTown(o: TownOutputOptions): void {
  if (o.outClosed?.()) return
  if (!o.out.isTTY) {
    if (o.size > DETAILED_MAX) o.logger.info({ summary: o.summary() }, 'town summary')
    else o.logger.info({ naras: o.rows() }, 'town table')
    return
  }
  const screen = renderScreen({
    columns: o.out.columns ?? 80,
    rows: o.out.rows ?? 24,
    header: townHeader(o),
    table: o.rows(),
    events: o.events(),
    warnings: o.warnings(),
    nowMs: o.clock.now(),
    color: o.color,
  })
  o.out.write(`\x1b[H\x1b[2J${screen}`)
}
