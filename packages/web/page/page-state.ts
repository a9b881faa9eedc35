/**
 * The page's state and how each update changes it (pure: no DOM, unit-tested in Node). Bounded
 * like the server: the stream keeps `STREAM_MAX` events, a paused stream buffers `STREAM_MAX`
 * more and counts the rest as skipped, with the server's own skips added.
 */
import type {
  CheckpointRound,
  NaraRow,
  RefusedView,
  Snapshot,
  StreamItem,
  Update,
} from '../src/view-types.js'

export const STREAM_MAX = 300

export interface PageState {
  live: boolean
  snapshotAtMs: number
  /** Server clock minus page clock, to show ages in the server's time. */
  skewMs: number
  source: Snapshot['source'] | null
  connected: boolean
  missingAfterS: number
  naras: Map<string, NaraRow>
  stream: StreamItem[]
  paused: boolean
  pending: StreamItem[]
  /** Events not shown: dropped by the server's bound, missed while behind, or paused overflow. */
  skipped: number
  refused: RefusedView
  checkpoints: CheckpointRound[]
}

const emptyRefused = (): RefusedView => ({ totals: {}, perMinute: [], recent: [], conflicts: [] })

export function initialState(): PageState {
  return {
    live: false,
    snapshotAtMs: 0,
    skewMs: 0,
    source: null,
    connected: false,
    missingAfterS: 300,
    naras: new Map(),
    stream: [],
    paused: false,
    pending: [],
    skipped: 0,
    refused: emptyRefused(),
    checkpoints: [],
  }
}

const keep = <T>(list: T[], max: number) => (list.length > max ? list.slice(-max) : list)

/** Applies one update (pure apart from reusing the maps it replaces). */
export function apply(s: PageState, u: Update): PageState {
  switch (u.type) {
    case 'snapshot': {
      const d = u.data
      return {
        ...s,
        live: true,
        snapshotAtMs: d.nowMs,
        skewMs: d.nowMs - Date.now(),
        source: d.source,
        connected: d.connected,
        missingAfterS: d.missingAfterS,
        naras: new Map(d.naras.map((n) => [n.name, n])),
        stream: keep(d.stream.items, STREAM_MAX),
        pending: [],
        skipped: d.stream.dropped,
        refused: d.refused,
        checkpoints: d.checkpoints,
      }
    }
    case 'nara':
      return { ...s, naras: new Map(s.naras).set(u.data.name, u.data) }
    case 'event':
      if (s.paused) {
        if (s.pending.length >= STREAM_MAX) return { ...s, skipped: s.skipped + 1 }
        return { ...s, pending: [...s.pending, u.data] }
      }
      return { ...s, stream: keep([...s.stream, u.data], STREAM_MAX) }
    case 'drop': {
      const r = s.refused
      const minuteMs = Math.floor(u.data.atMs / 60_000) * 60_000
      const last = r.perMinute.at(-1)
      const perMinute =
        last && last.minuteMs === minuteMs
          ? [
              ...r.perMinute.slice(0, -1),
              {
                minuteMs,
                byReason: {
                  ...last.byReason,
                  [u.data.reason]: (last.byReason[u.data.reason] ?? 0) + 1,
                },
              },
            ]
          : keep([...r.perMinute, { minuteMs, byReason: { [u.data.reason]: 1 } }], 30)
      return {
        ...s,
        refused: {
          ...r,
          totals: { ...r.totals, [u.data.reason]: (r.totals[u.data.reason] ?? 0) + 1 },
          perMinute,
          recent: keep([...r.recent, u.data], 50),
        },
      }
    }
    case 'conflict':
      return {
        ...s,
        refused: { ...s.refused, conflicts: keep([...s.refused.conflicts, u.data], 50) },
      }
    case 'checkpoint': {
      const others = s.checkpoints.filter((c) => c.key !== u.data.key)
      return { ...s, checkpoints: keep([...others, u.data], 30) }
    }
    case 'connection':
      return { ...s, connected: u.data.connected }
    case 'skipped':
      return { ...s, skipped: s.skipped + u.data.count }
    default:
      return s
  }
}

export function setPaused(s: PageState, paused: boolean): PageState {
  if (paused) return { ...s, paused }
  return { ...s, paused, stream: keep([...s.stream, ...s.pending], STREAM_MAX), pending: [] }
}
