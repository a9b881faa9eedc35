/**
 * An agent's `/status` document for humans (`nara status`). Only the fields printed here are
 * read, each one optional: an older or newer agent's document still prints what it has.
 */
import { formatAge, type Io, printLine, renderTable } from './output.js'

/** The fields of the agent's status document that `nara status` prints. */
export interface StatusLike {
  me: {
    name: string
    naraId?: string
    version?: string
    connected?: boolean
    broker?: string
    uptimeS?: number
    chattiness?: number
    buzz?: number
    nextNewspaperInS?: number | null
    bondValid?: boolean
  } | null
  counts?: Record<string, number>
  neighbourhood?: {
    name: string
    state: string
    lastSeenAgoS?: number | null
    lastEvidence?: string | null
    lastNewspaperAgoS?: number | null
    version?: string | null
    verified?: number
    restarts?: number
  }[]
  drops?: Record<string, number>
  reconnects?: number
  keyConflicts?: { total?: number }
  checkpoints?: { proposals?: number; votes?: number; finalsAccepted?: number } | null
}

/** A town's `/status`: its summary, and every nara's own document for small towns. */
export interface TownStatusLike {
  town: {
    size?: number
    broker?: string
    summary?: { minOnlineSeen?: number; maxOnlineSeen?: number; drops?: Record<string, number> }
  }
  naras?: StatusLike[]
}

const ago = (s: number | null | undefined) =>
  s === null || s === undefined ? '-' : `${formatAge(s * 1000)} ago`

function countsText(counts: Record<string, number> | undefined): string {
  if (!counts) return '-'
  return Object.entries(counts)
    .map(([state, n]) => `${n} ${state}`)
    .join(', ')
}

function dropsText(drops: Record<string, number> | undefined): string {
  const entries = Object.entries(drops ?? {}).filter(([, n]) => n > 0)
  if (entries.length === 0) return 'none'
  return entries
    .sort((a, b) => b[1] - a[1])
    .map(([reason, n]) => `${reason} ${n}`)
    .join(', ')
}

/** One nara: a header, its neighbourhood as a table, then drops and health counters. */
export function printNara(io: Io, doc: StatusLike): void {
  const c = io.color
  const me = doc.me
  if (me) {
    const link = me.connected ? c.green('connected') : c.red('DISCONNECTED')
    printLine(io, `${c.bold(me.name)}  ${link}${me.broker ? ` to ${me.broker}` : ''}`)
    const facts = [
      me.version ? `version ${me.version}` : undefined,
      me.uptimeS === undefined ? undefined : `up ${formatAge(me.uptimeS * 1000)}`,
      me.chattiness === undefined ? undefined : `chattiness ${me.chattiness}`,
      me.buzz === undefined ? undefined : `buzz ${me.buzz}`,
      me.nextNewspaperInS == null
        ? undefined
        : `next newspaper in ${formatAge(me.nextNewspaperInS * 1000)}`,
      me.bondValid === false ? c.red('soul NOT bonded to the name') : undefined,
    ].filter((f) => f !== undefined)
    printLine(io, facts.join(' · '))
  } else {
    printLine(io, c.yellow('not started yet (no identity)'))
  }
  printLine(io, `neighbourhood: ${countsText(doc.counts)}`)
  const rows = doc.neighbourhood ?? []
  if (rows.length > 0) {
    const paint: Record<string, (s: string) => string> = {
      ONLINE: c.green,
      MISSING: c.yellow,
      OFFLINE: c.dim,
    }
    printLine(
      io,
      renderTable(
        io,
        ['name', 'state', 'last seen', 'by', 'newspaper', 'version', 'verified'],
        rows.map((r) => [
          r.name,
          (paint[r.state] ?? c.dim)(r.state),
          ago(r.lastSeenAgoS),
          r.lastEvidence ?? '-',
          ago(r.lastNewspaperAgoS),
          r.version ?? '-',
          String(r.verified ?? '-'),
        ]),
      ),
    )
  }
  const health = [
    `drops: ${dropsText(doc.drops)}`,
    `reconnects: ${doc.reconnects ?? '-'}`,
    `key conflicts: ${doc.keyConflicts?.total ?? '-'}`,
  ]
  if (doc.checkpoints) {
    const cp = doc.checkpoints
    health.push(
      `checkpoints: ${cp.proposals ?? 0} proposed, ${cp.votes ?? 0} votes, ${cp.finalsAccepted ?? 0} finals`,
    )
  }
  printLine(io, health.join(' · '))
}

/** A town: one summary line, then one line per nara (when the town sent them). */
export function printTown(io: Io, doc: TownStatusLike): void {
  const { town } = doc
  const summary = town.summary
  printLine(
    io,
    `${io.color.bold(`town of ${town.size ?? '?'}`)}${town.broker ? ` on ${town.broker}` : ''}` +
      (summary?.minOnlineSeen === undefined
        ? ''
        : ` · each sees ${summary.minOnlineSeen}-${summary.maxOnlineSeen} ONLINE`) +
      ` · drops: ${dropsText(summary?.drops)}`,
  )
  const naras = doc.naras ?? []
  if (naras.length === 0) return
  printLine(
    io,
    renderTable(
      io,
      ['name', 'connected', 'neighbourhood', 'chattiness', 'buzz'],
      naras.map((n) => [
        n.me?.name ?? '-',
        n.me?.connected ? 'yes' : 'NO',
        countsText(n.counts),
        String(n.me?.chattiness ?? '-'),
        String(n.me?.buzz ?? '-'),
      ]),
    ),
  )
}
