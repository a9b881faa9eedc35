/**
 * The town's terminal screen, fitted to the terminal: the header, the table (as many naras as
 * fit, the rest summarised) and as many of the latest events as fit underneath. Every line is cut
 * to the terminal's width (colours and wide characters counted right), so nothing wraps and the
 * header stays on screen. Pure: the town passes the size and what to show.
 */
import cliTruncate from 'cli-truncate'
import { renderTownTable, type TownRow } from './town-table.js'

export interface ScreenInput {
  /** Terminal size in columns and rows. */
  columns: number
  rows: number
  /** Header lines (title, URLs, cadences), most important first. */
  header: readonly string[]
  table: readonly TownRow[]
  /** The latest events, oldest first; the newest that fit are shown. */
  events: readonly string[]
  /** The latest warnings, oldest first (at most 3 shown, under the events). */
  warnings?: readonly string[]
  nowMs: number
  color: boolean
}

/** Lines the table keeps besides its rows: the column header and the summary line. */
const TABLE_FRAME = 2
/** Event lines kept at least, when the table must shrink for them. */
const MIN_EVENTS = 3

/** The screen's lines (at most `rows`, each at most `columns` wide), without a final newline. */
export function renderScreen(s: ScreenInput): string {
  const width = Math.max(20, s.columns)
  const height = Math.max(8, s.rows)
  const header = s.header.slice(0, Math.max(1, height - TABLE_FRAME - 3))
  // Header, a blank line, the table, a blank line, "recent events:", events.
  const fixed = header.length + 1 + TABLE_FRAME + 2
  const rowsRoom = Math.max(1, height - fixed - MIN_EVENTS)
  const maxRows = s.table.length > rowsRoom ? Math.max(1, rowsRoom - 1) : s.table.length
  const table = renderTownTable(s.table, { nowMs: s.nowMs, color: s.color, maxRows }).split('\n')
  const used = header.length + 1 + table.length + 2
  const room = Math.max(0, height - used)
  const warnings = (s.warnings ?? []).slice(-Math.min(3, Math.floor(room / 2)))
  const events = room - warnings.length > 0 ? s.events.slice(-(room - warnings.length)) : []
  const lines = [...header, '', ...table, '', 'recent events:', ...events, ...warnings]
  return lines
    .slice(0, height)
    .map((line) => cliTruncate(line.replace(/[\r\n\t]/g, ' '), width))
    .join('\n')
}
