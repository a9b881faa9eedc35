/**
 * One row of the neighbourhood table and the pure rules over it: its state (hearsay, or
 * ONLINE / OFFLINE / MISSING from verified evidence and WIRE.md §7.4's thresholds), its ONLINE
 * spans, its public view and its wire observation.
 */

import type {
  EvidenceDetails,
  EvidenceKind,
  Neighbour,
  NeighbourState,
  PeerStatusLike,
  WireObservation,
} from './neighbour-facts.js'
import type { RowCursor } from './neighbour-row.js'

/**
 * A row: the facts, plus the ONLINE spans and the chau behind its state (a cursor over the
 * table's columns, `neighbour-row.ts`).
 */
export type Entry<S extends PeerStatusLike> = RowCursor<S>

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

/** Own observed ONLINE time, in ms: the closed spans plus the open one up to now. */
function uptimeMs<S extends PeerStatusLike>(e: Entry<S>, state: NeighbourState, now: number) {
  let total = e.accumulatedMs
  const since = e.onlineSinceMs
  if (since !== undefined) {
    const end = state === 'ONLINE' ? now : (e.lastSeenMs ?? now)
    total += Math.max(0, end - since)
  }
  return total
}

export function viewOf<S extends PeerStatusLike>(
  t: Thresholds,
  e: Entry<S>,
  now: number,
): Neighbour<S> {
  const state = stateOf(t, e, now)
  return { ...e.facts(), state, totalUptimeMs: uptimeMs(e, state, now) }
}

const secs = (ms: number | undefined) => (ms === undefined ? undefined : Math.floor(ms / 1000))

/**
 * Own view of a nara as a wire observation (times in seconds); `{}` for hearsay. Read from the
 * row without a view of it: a howdy answer takes about 30 of these.
 */
export function wireObservation<S extends PeerStatusLike>(
  t: Thresholds,
  e: Entry<S>,
  now: number,
): WireObservation {
  if (e.hearsay) return {}
  const state = stateOf(t, e, now)
  const obs: WireObservation = {}
  const restarts = e.restarts
  if (restarts) obs.restarts = restarts
  const up = Math.floor(uptimeMs(e, state, now) / 1000)
  if (up) obs.total_uptime = up
  obs.start_time = secs(e.firstSeenMs)
  obs.online = state
  const lastSeenMs = e.lastSeenMs
  if (lastSeenMs !== undefined) obs.last_seen = secs(lastSeenMs)
  const lastRestartMs = e.lastRestartMs
  if (lastRestartMs !== undefined) obs.last_restart = secs(lastRestartMs)
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
  slots: Map<string, number>,
  row: Entry<S>,
  excess: number,
  rank: (e: Entry<S>) => number,
  bound: number,
  release: (slot: number) => void,
): void {
  const ranked: { name: string; slot: number; r: number; at: number }[] = []
  for (const [name, slot] of slots) {
    const e = row.at(slot)
    ranked.push({ name, slot, r: rank(e), at: e.lastSeenMs ?? e.firstSeenMs })
  }
  ranked.sort((a, b) => a.r - b.r || a.at - b.at)
  const batch = excess + Math.floor(bound / 20)
  for (let i = 0; i < ranked.length; i++) {
    const { name, slot, r } = ranked[i]!
    if (i >= excess && (i >= batch || r > 1)) break
    slots.delete(name)
    release(slot)
  }
}
