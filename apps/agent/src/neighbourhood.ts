/**
 * The neighbourhood table: every nara this one knows, with its last verified status, its pinned
 * key and an ONLINE / OFFLINE / MISSING state derived from verified evidence (WIRE.md §7.4).
 *
 * Unlike Go's event projection, a verified newspaper counts as evidence here, so TS naras never
 * flap among themselves. OFFLINE is only reached through a chau; silence longer than the
 * threshold (300 s, or 3600 s for subjects advertising `transport_mode: "gossip"`) reads as
 * MISSING. Any evidence while OFFLINE or MISSING counts as a restart, as in Go.
 */

export type PresenceState = 'ONLINE' | 'OFFLINE' | 'MISSING'
export const PRESENCE_STATES: readonly PresenceState[] = ['ONLINE', 'OFFLINE', 'MISSING']

/** What counts as proof of life (each one verified before it gets here). */
export type EvidenceKind = 'hey_there' | 'howdy' | 'newspaper' | 'social' | 'checkpoint'

/** The few status fields the table reads; the full status is kept as received. */
export interface PeerStatusLike {
  PublicKey?: string
  ID?: string
  Version?: string
  Buzz?: number
  Chattiness?: number
  transport_mode?: string
}

/** The wire `NaraObservation` (WIRE.md §5), times in seconds. */
export interface WireObservation {
  restarts?: number
  total_uptime?: number
  start_time?: number
  online?: string
  last_seen?: number
  last_restart?: number
  cluster_name?: string
  cluster_emoji?: string
  last_ping_rtt?: number
  avg_ping_rtt?: number
  last_ping_time?: number
}

export interface Neighbour<S extends PeerStatusLike = PeerStatusLike> {
  name: string
  state: PresenceState
  publicKey: string | undefined
  naraId: string | undefined
  /** Last verified status (newspaper or howdy `Me`). */
  status: S | undefined
  statusAtMs: number | undefined
  firstSeenMs: number
  /** Receipt time of the last verified evidence (or the hearsay time, see `hearsay`). */
  lastSeenMs: number | undefined
  lastEvidence: EvidenceKind | 'chau' | 'hearsay'
  /** Only known from other naras' howdy `Neighbors` lists (unauthenticated, WIRE §12.7). */
  hearsay: boolean
  restarts: number
  lastRestartMs: number | undefined
  /** Own observed ONLINE time, in ms. */
  totalUptimeMs: number
  /** Messages from this nara that passed verification. */
  verified: number
  lastNewspaperMs: number | undefined
}

interface Entry<S extends PeerStatusLike> {
  name: string
  publicKey: string | undefined
  naraId: string | undefined
  status: S | undefined
  statusAtMs: number | undefined
  firstSeenMs: number
  lastSeenMs: number | undefined
  lastEvidence: Neighbour['lastEvidence']
  hearsay: boolean
  offlineAtMs: number | undefined
  restarts: number
  lastRestartMs: number | undefined
  onlineSinceMs: number | undefined
  accumulatedMs: number
  verified: number
  lastNewspaperMs: number | undefined
}

export interface NeighbourhoodOptions {
  /** Own name; never entered in the table. */
  me: string
  nowMs: () => number
  /** ONLINE -> MISSING after this much silence, in seconds (default 300). */
  missingAfterS?: number
  /** Same for subjects advertising `transport_mode: "gossip"` (default 3600). */
  gossipMissingAfterS?: number
}

export interface EvidenceDetails<S> {
  /** Creation time claimed by the message (hey_there/chau `ts`), to refuse stale replays. */
  eventTimeMs?: number
  status?: S
  publicKey?: string
  naraId?: string
}

export interface Neighbourhood<S extends PeerStatusLike = PeerStatusLike> {
  /** Records verified evidence. Returns false when it was ignored (own name or stale). */
  observe(name: string, kind: EvidenceKind, details?: EvidenceDetails<S>): boolean
  /** A verified chau: the nara said goodbye and is OFFLINE. */
  chau(name: string, details?: EvidenceDetails<S>): boolean
  /** Names learned from a howdy's `Neighbors` (not evidence; never overrides what we saw). */
  learnHearsay(
    name: string,
    info: { publicKey?: string; naraId?: string; observation?: WireObservation },
  ): void
  get(name: string): Neighbour<S> | undefined
  list(): Neighbour<S>[]
  counts(): Record<PresenceState, number>
  /** Own view of a nara as a wire observation (howdy `You`, `Neighbors`, `Observations`). */
  observationOf(name: string): WireObservation
  /** Every known nara's observation, keyed by name (an object, never null). */
  observations(): Record<string, WireObservation>
  size(): number
}

const secs = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000))

export function createNeighbourhood<S extends PeerStatusLike = PeerStatusLike>(
  options: NeighbourhoodOptions,
): Neighbourhood<S> {
  const { me, nowMs } = options
  const missingAfterMs = (options.missingAfterS ?? 300) * 1000
  const gossipMissingAfterMs = (options.gossipMissingAfterS ?? 3600) * 1000
  const table = new Map<string, Entry<S>>()

  const thresholdMs = (e: Entry<S> | undefined) =>
    e?.status?.transport_mode === 'gossip' ? gossipMissingAfterMs : missingAfterMs

  const stateOf = (e: Entry<S>, now: number): PresenceState => {
    if (e.offlineAtMs !== undefined) return 'OFFLINE'
    if (e.lastSeenMs === undefined || now - e.lastSeenMs > thresholdMs(e)) return 'MISSING'
    return 'ONLINE'
  }

  /** Closes an ONLINE span at `endMs` (chau time, or the last evidence for MISSING). */
  const closeSpan = (e: Entry<S>, endMs: number) => {
    if (e.onlineSinceMs !== undefined) {
      e.accumulatedMs += Math.max(0, endMs - e.onlineSinceMs)
      e.onlineSinceMs = undefined
    }
  }

  const isStale = (e: Entry<S> | undefined, details: EvidenceDetails<S> | undefined, now: number) =>
    details?.eventTimeMs !== undefined && now - details.eventTimeMs > thresholdMs(e)

  const applyInfo = (e: Entry<S>, details: EvidenceDetails<S> | undefined, now: number) => {
    if (!details) return
    if (details.status) {
      e.status = details.status
      e.statusAtMs = now
      if (details.status.PublicKey) e.publicKey = details.status.PublicKey
      if (details.status.ID) e.naraId = details.status.ID
    }
    if (details.publicKey) e.publicKey = details.publicKey
    if (details.naraId) e.naraId = details.naraId
  }

  const newEntry = (name: string, now: number): Entry<S> => ({
    name,
    publicKey: undefined,
    naraId: undefined,
    status: undefined,
    statusAtMs: undefined,
    firstSeenMs: now,
    lastSeenMs: undefined,
    lastEvidence: 'hearsay',
    hearsay: true,
    offlineAtMs: undefined,
    restarts: 0,
    lastRestartMs: undefined,
    onlineSinceMs: undefined,
    accumulatedMs: 0,
    verified: 0,
    lastNewspaperMs: undefined,
  })

  const view = (e: Entry<S>, now: number): Neighbour<S> => {
    const state = stateOf(e, now)
    let totalUptimeMs = e.accumulatedMs
    if (e.onlineSinceMs !== undefined) {
      totalUptimeMs += Math.max(
        0,
        (state === 'ONLINE' ? now : (e.lastSeenMs ?? now)) - e.onlineSinceMs,
      )
    }
    return {
      name: e.name,
      state,
      publicKey: e.publicKey,
      naraId: e.naraId,
      status: e.status,
      statusAtMs: e.statusAtMs,
      firstSeenMs: e.firstSeenMs,
      lastSeenMs: e.lastSeenMs,
      lastEvidence: e.lastEvidence,
      hearsay: e.hearsay,
      restarts: e.restarts,
      lastRestartMs: e.lastRestartMs,
      totalUptimeMs,
      verified: e.verified,
      lastNewspaperMs: e.lastNewspaperMs,
    }
  }

  const observationOf = (name: string): WireObservation => {
    const e = table.get(name)
    if (!e) return {}
    const v = view(e, nowMs())
    const obs: WireObservation = {}
    if (v.restarts) obs.restarts = v.restarts
    const up = Math.floor(v.totalUptimeMs / 1000)
    if (up) obs.total_uptime = up
    obs.start_time = secs(v.firstSeenMs)
    obs.online = v.state
    if (v.lastSeenMs !== undefined) obs.last_seen = secs(v.lastSeenMs)
    if (v.lastRestartMs !== undefined) obs.last_restart = secs(v.lastRestartMs)
    return obs
  }

  return {
    observe(name, kind, details) {
      if (name === '' || name === me) return false
      const now = nowMs()
      let e = table.get(name)
      if (isStale(e, details, now)) return false
      if (!e) {
        e = newEntry(name, now)
        table.set(name, e)
      } else if (!e.hearsay) {
        const prev = stateOf(e, now)
        if (prev !== 'ONLINE') {
          if (prev === 'MISSING' && e.lastSeenMs !== undefined) closeSpan(e, e.lastSeenMs)
          e.restarts += 1
          e.lastRestartMs = now
        }
      }
      if (e.hearsay) e.firstSeenMs = Math.min(e.firstSeenMs, now)
      e.hearsay = false
      e.offlineAtMs = undefined
      e.lastSeenMs = now
      e.lastEvidence = kind
      if (e.onlineSinceMs === undefined) e.onlineSinceMs = now
      e.verified += 1
      if (kind === 'newspaper') e.lastNewspaperMs = now
      applyInfo(e, details, now)
      return true
    },
    chau(name, details) {
      if (name === '' || name === me) return false
      const now = nowMs()
      const e = table.get(name)
      if (!e || isStale(e, details, now)) return false
      closeSpan(e, now)
      e.offlineAtMs = now
      e.lastSeenMs = now
      e.lastEvidence = 'chau'
      e.hearsay = false
      e.verified += 1
      applyInfo(e, details, now)
      return true
    },
    learnHearsay(name, info) {
      if (name === '' || name === me || table.has(name)) return
      const now = nowMs()
      const e = newEntry(name, now)
      e.publicKey = info.publicKey || undefined
      e.naraId = info.naraId || undefined
      const obs = info.observation
      if (obs?.start_time) e.firstSeenMs = Math.min(now, obs.start_time * 1000)
      if (obs?.online === 'OFFLINE') e.offlineAtMs = now
      if (obs?.online === 'ONLINE' && obs.last_seen)
        e.lastSeenMs = Math.min(now, obs.last_seen * 1000)
      if (obs?.restarts) e.restarts = obs.restarts
      table.set(name, e)
    },
    get(name) {
      const e = table.get(name)
      return e ? view(e, nowMs()) : undefined
    },
    list() {
      const now = nowMs()
      return [...table.values()]
        .map((e) => view(e, now))
        .sort((a, b) => a.name.localeCompare(b.name))
    },
    counts() {
      const now = nowMs()
      const counts: Record<PresenceState, number> = { ONLINE: 0, OFFLINE: 0, MISSING: 0 }
      for (const e of table.values()) counts[stateOf(e, now)] += 1
      return counts
    },
    observationOf,
    observations() {
      const out: Record<string, WireObservation> = {}
      for (const name of [...table.keys()].sort()) out[name] = observationOf(name)
      return out
    },
    size: () => table.size,
  }
}
