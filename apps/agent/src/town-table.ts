/**
 * The town's live table: one row per nara, as the other naras see it. Pure rendering; the town
 * redraws it every second (ANSI redraw on a TTY, plain lines otherwise).
 */

export interface TownRow {
  name: string
  /** Whether the nara's process part is running. */
  running: boolean
  /** How many of the other naras see it ONLINE. */
  seenOnlineBy: number
  /** How many other naras there are. */
  others: number
  /** Youngest heartbeat (newspaper) of this nara seen by any other nara, ms since epoch. */
  lastHeartbeatMs: number | undefined
  /** Its own view: ONLINE / known neighbours. */
  onlineNeighbours: number
  knownNeighbours: number
  verified: number
  dropped: number
  sent: number
}

const pad = (s: string, n: number) => (s.length >= n ? s.slice(0, n) : s + ' '.repeat(n - s.length))
const lpad = (s: string, n: number) => (s.length >= n ? s : ' '.repeat(n - s.length) + s)

export interface RenderOptions {
  nowMs: number
  color: boolean
  /** At most this many rows (the rest are summarised). */
  maxRows?: number
}

export function renderTownTable(rows: readonly TownRow[], options: RenderOptions): string {
  const c = (code: string, s: string) => (options.color ? `\x1b[${code}m${s}\x1b[0m` : s)
  const nameWidth = Math.max(4, ...rows.map((r) => r.name.length))
  // 57 columns besides the name: a town of quirky names (up to 20 characters) fits 80.
  const header = `${pad('NARA', nameWidth)}  ${pad('STATE', 7)} ${lpad('SEEN BY', 7)} ${lpad('HEARTBEAT', 9)} ${lpad('SEES', 5)} ${lpad('VERIFIED', 8)} ${lpad('DROPPED', 7)} ${lpad('SENT', 5)}`
  const lines = [c('1', header)]
  const max = options.maxRows ?? rows.length
  for (const r of rows.slice(0, max)) {
    const state = !r.running
      ? 'stopped'
      : r.others === 0 || r.seenOnlineBy === r.others
        ? 'ONLINE'
        : r.seenOnlineBy === 0
          ? 'joining'
          : 'partial'
    const stateCol = pad(state, 7)
    const colored =
      state === 'ONLINE'
        ? c('32', stateCol)
        : state === 'stopped'
          ? c('31', stateCol)
          : c('33', stateCol)
    const age =
      r.lastHeartbeatMs === undefined
        ? '-'
        : `${Math.max(0, Math.round((options.nowMs - r.lastHeartbeatMs) / 1000))}s ago`
    lines.push(
      `${pad(r.name, nameWidth)}  ${colored} ${lpad(`${r.seenOnlineBy}/${r.others}`, 7)} ${lpad(age, 9)} ${lpad(`${r.onlineNeighbours}/${r.knownNeighbours}`, 5)} ${lpad(String(r.verified), 8)} ${lpad(String(r.dropped), 7)} ${lpad(String(r.sent), 5)}`,
    )
  }
  if (rows.length > max) lines.push(c('2', `… and ${rows.length - max} more`))
  const online = rows.filter((r) => r.running && r.seenOnlineBy === r.others).length
  lines.push(c('2', `${online}/${rows.length} naras ONLINE in everyone's eyes`))
  return lines.join('\n')
}
