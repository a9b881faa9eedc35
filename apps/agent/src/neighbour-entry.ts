/**
 * One row of the neighbourhood table and the pure rules over it: its state (hearsay, or
 * ONLINE / OFFLINE / MISSING from verified evidence and WIRE.md §7.4's thresholds), its ONLINE
 * spans, its public view and its wire observation.
 */
import type {
  EvidenceDetails,
  EvidenceKind,
  Neighbour,
  NeighbourFacts,
  NeighbourState,
  PeerStatusLike,
  WireObservation,
} from './neighbourhood.js'

/** A row: the facts, plus the ONLINE spans and the chau behind its state. */
export interface Entry<S extends PeerStatusLike> extends NeighbourFacts<S> {
  offlineAtMs: number | undefined
  onlineSinceMs: number | undefined
  accumulatedMs: number
}

/** ONLINE -> MISSING thresholds, ms. */
export interface Thresholds {
  missingAfterMs: number
  gossipMissingAfterMs: number
}

export const thresholdMs = <S extends PeerStatusLike>(t: Thresholds, e: Entry<S> | undefined) =>
  e?.status?.transport_mode === 'gossip' ? t.gossipMissingAfterMs : t.missingAfterMs

export function stateOf<S extends PeerStatusLike>(
  t: Thresholds,
  e: Entry<S>,
  now: number,
): NeighbourState {
  if (e.hearsay) return 'hearsay'
  if (e.offlineAtMs !== undefined) return 'OFFLINE'
  if (e.lastSeenMs === undefined || now - e.lastSeenMs > thresholdMs(t, e)) return 'MISSING'
  return 'ONLINE'
}

/** Closes an ONLINE span at `endMs` (chau time, or the last evidence for MISSING). */
export function closeSpan<S extends PeerStatusLike>(e: Entry<S>, endMs: number): void {
  if (e.onlineSinceMs !== undefined) {
    e.accumulatedMs += Math.max(0, endMs - e.onlineSinceMs)
    e.onlineSinceMs = undefined
  }
}

/** Takes the key, NaraID, status and standing that came with verified evidence. */
function applyDetails<S extends PeerStatusLike>(
  e: Entry<S>,
  details: EvidenceDetails<S> | undefined,
  now: number,
): void {
  if (!details) return
  if (details.status) {
    e.status = details.status
    e.statusAtMs = now
    if (details.status.PublicKey) e.publicKey = details.status.PublicKey
    if (details.status.ID && details.statusIdBound !== false) e.naraId = details.status.ID
  }
  if (details.publicKey) e.publicKey = details.publicKey
  if (details.naraId) e.naraId = details.naraId
  if (details.standing && e.standingSinceMs === undefined) e.standingSinceMs = now
}

/**
 * Verified evidence: ONLINE now; from OFFLINE or MISSING that is a restart, unless the evidence
 * may only refresh (then it is ignored and false returned).
 */
export function recordEvidence<S extends PeerStatusLike>(
  t: Thresholds,
  e: Entry<S>,
  kind: EvidenceKind,
  details: EvidenceDetails<S> | undefined,
  now: number,
): boolean {
  if (!e.hearsay) {
    const prev = stateOf(t, e, now)
    if (prev !== 'ONLINE') {
      if (details?.refreshOnly) return false
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
  if (kind === 'hey_there') e.lastHeyThereMs = now
  applyDetails(e, details, now)
  return true
}

/** A verified chau: OFFLINE from now. */
export function recordChau<S extends PeerStatusLike>(
  e: Entry<S>,
  details: EvidenceDetails<S> | undefined,
  now: number,
): void {
  closeSpan(e, now)
  e.offlineAtMs = now
  e.lastSeenMs = now
  e.lastEvidence = 'chau'
  e.hearsay = false
  e.verified += 1
  applyDetails(e, details, now)
}

export function newEntry<S extends PeerStatusLike>(name: string, now: number): Entry<S> {
  return {
    name,
    publicKey: undefined,
    naraId: undefined,
    status: undefined,
    statusAtMs: undefined,
    firstSeenMs: now,
    lastSeenMs: undefined,
    lastEvidence: 'hearsay',
    hearsay: true,
    standingSinceMs: undefined,
    offlineAtMs: undefined,
    restarts: 0,
    lastRestartMs: undefined,
    onlineSinceMs: undefined,
    accumulatedMs: 0,
    verified: 0,
    lastNewspaperMs: undefined,
    lastHeyThereMs: undefined,
  }
}

export function viewOf<S extends PeerStatusLike>(
  t: Thresholds,
  e: Entry<S>,
  now: number,
): Neighbour<S> {
  const state = stateOf(t, e, now)
  let totalUptimeMs = e.accumulatedMs
  if (e.onlineSinceMs !== undefined) {
    const end = state === 'ONLINE' ? now : (e.lastSeenMs ?? now)
    totalUptimeMs += Math.max(0, end - e.onlineSinceMs)
  }
  const { offlineAtMs: _off, onlineSinceMs: _since, accumulatedMs: _acc, ...facts } = e
  return { ...facts, state, totalUptimeMs }
}

const secs = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000))

/** Own view of a nara as a wire observation (times in seconds); `{}` for hearsay. */
export function wireObservation<S extends PeerStatusLike>(v: Neighbour<S>): WireObservation {
  if (v.hearsay) return {}
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

/**
 * Eviction rank when the table is full, lowest first: hearsay, then entries whose key never
 * had standing (a fresh key costs nothing), then OFFLINE, MISSING, and ONLINE last.
 */
export function evictionRank<S extends PeerStatusLike>(
  t: Thresholds,
  e: Entry<S>,
  now: number,
): number {
  if (e.hearsay) return 0
  if (e.standingSinceMs === undefined) return 1
  const state = stateOf(t, e, now)
  return state === 'OFFLINE' ? 2 : state === 'MISSING' ? 3 : 4
}

/**
 * Removes `excess` rows, lowest rank first and the least recently seen first within a rank. Rows
 * of the two lowest ranks (hearsay, never with standing) go in batches of up to 5 % of the bound,
 * so a flood of fresh names sorts the table once per batch, not once per name.
 */
export function evict<S extends PeerStatusLike>(
  table: Map<string, Entry<S>>,
  excess: number,
  rank: (e: Entry<S>) => number,
  bound: number,
): void {
  const ranked = [...table.values()]
    .map((e) => ({ e, r: rank(e), at: e.lastSeenMs ?? e.firstSeenMs }))
    .sort((a, b) => a.r - b.r || a.at - b.at)
  const batch = excess + Math.floor(bound / 20)
  for (let i = 0; i < ranked.length; i++) {
    const { e, r } = ranked[i]!
    if (i >= excess && (i >= batch || r > 1)) break
    table.delete(e.name)
  }
}
