/**
 * The neighbourhood table: every nara this one knows, with its last verified status, its pinned
 * key and an ONLINE / OFFLINE / MISSING state derived from verified evidence (WIRE.md §7.4).
 *
 * Unlike Go's event projection, a verified newspaper counts as evidence here, so TS naras never
 * flap among themselves. OFFLINE is only reached through a chau; silence longer than the
 * threshold (300 s, or 3600 s for subjects advertising `transport_mode: "gossip"`) reads as
 * MISSING. Any evidence while OFFLINE or MISSING counts as a restart, as in Go.
 *
 * Against sybils (keys cost nothing): names only heard of (howdy `Neighbors`, unauthenticated)
 * are `hearsay`, never ONLINE, so they count nowhere (ONLINE counts, `nara_neighbours`, the
 * checkpoint min-peers check); and the table is bounded (`maxEntries`): when it is full, hearsay
 * goes first, then names whose key never had standing, then OFFLINE, MISSING, and ONLINE last,
 * the least recently seen first within each rank. The rules over one row are in
 * `neighbour-entry.ts`.
 */
import {
  type Entry,
  evict,
  evictionRank,
  recordChau,
  recordEvidence,
  stateOf,
  type Thresholds,
  thresholdMs,
  viewOf,
  wireObservation,
} from './neighbour-entry.js'
import {
  type EvidenceDetails,
  type EvidenceKind,
  NEIGHBOURS_MAX,
  type Neighbour,
  type NeighbourFacts,
  type NeighbourhoodOptions,
  type NeighbourState,
  type PeerStatusLike,
  type WireObservation,
} from './neighbour-facts.js'
import { RowCursor, RowStore } from './neighbour-row.js'

export * from './neighbour-facts.js'

export interface Neighbourhood<S extends PeerStatusLike = PeerStatusLike> {
  /** Records verified evidence. Returns false when it was ignored (own name, stale, refresh-only). */
  observe(name: string, kind: EvidenceKind, details?: EvidenceDetails<S>): boolean
  /** A verified chau: the nara said goodbye and is OFFLINE. */
  chau(name: string, details?: EvidenceDetails<S>): boolean
  /**
   * A name learned from a howdy's `Neighbors` (not evidence: a `hearsay` row, never ONLINE;
   * never overrides a known row). The key and NaraID are unsigned claims, kept for display.
   */
  learnHearsay(name: string, info: { publicKey?: string; naraId?: string }): void
  /** Whether `name` was seen with standing strictly before `atMs`. */
  hadStandingBefore(name: string, atMs: number): boolean
  /** A snapshot of one row with its state now (a copy: keep it as long as you like). */
  get(name: string): Neighbour<S> | undefined
  /** Snapshots of every row, by name. */
  list(): Neighbour<S>[]
  /**
   * The row of `name` as held, read only and without a copy: a cursor over the table's columns,
   * valid until the next `peek` (read what you need at once; `get` gives a copy to keep). For
   * the paths every inbound message takes, where `get` would allocate a snapshot per nara.
   */
  peek(name: string): Readonly<NeighbourFacts<S>> | undefined
  /**
   * Calls `fn` with every row as held (read only, no copy: one cursor, moved from row to row,
   * so copy the fields you keep past a call) and its state now, in no particular order. For the
   * paths every newspaper takes (chattiness, presence toward Go naras), where `list()` would
   * allocate and sort a snapshot of the whole table per nara.
   */
  each(fn: (row: Readonly<NeighbourFacts<S>>, state: NeighbourState) => void): void
  /** Rows by state; `hearsay` rows are counted apart, never as ONLINE. */
  counts(): Record<NeighbourState, number>
  /** Own view of a nara as a wire observation (howdy `You`, `Neighbors`, `Observations`). */
  observationOf(name: string): WireObservation
  /** Every known nara's observation (hearsay left out), keyed by name (an object, never null). */
  observations(): Record<string, WireObservation>
  size(): number
}

export function createNeighbourhood<S extends PeerStatusLike = PeerStatusLike>(
  options: NeighbourhoodOptions,
): Neighbourhood<S> {
  return new NeighbourTable<S>(options)
}

/** {@link Neighbourhood} over a map of rows by name, bounded by `maxEntries`. */
class NeighbourTable<S extends PeerStatusLike> implements Neighbourhood<S> {
  readonly #me: string
  readonly #nowMs: () => number
  readonly #t: Thresholds
  readonly #maxEntries: number
  /** Each row's slot in `#rows`, by name. */
  readonly #slots = new Map<string, number>()
  /** The rows, in columns (`neighbour-row.ts`). */
  readonly #rows = new RowStore<S>()
  /** Cursors over the rows: one for the table's own rules, one per reader (`peek`, `each`). */
  readonly #w = new RowCursor(this.#rows)
  readonly #peeked = new RowCursor(this.#rows)
  readonly #each = new RowCursor(this.#rows)

  constructor(options: NeighbourhoodOptions) {
    this.#me = options.me
    this.#nowMs = options.nowMs
    this.#t = {
      missingAfterMs: (options.missingAfterS ?? 300) * 1000,
      gossipMissingAfterMs: (options.gossipMissingAfterS ?? 3600) * 1000,
    }
    this.#maxEntries = Math.max(1, options.maxEntries ?? NEIGHBOURS_MAX)
  }

  observe(name: string, kind: EvidenceKind, details?: EvidenceDetails<S>): boolean {
    if (name === '' || name === this.#me) return false
    const now = this.#nowMs()
    const known = this.#row(name)
    if (this.#isStale(known, details, now)) return false
    const e = known ?? this.#w.at(this.#rows.alloc(name, now))
    if (!recordEvidence(this.#t, e, kind, details, now)) {
      if (known === undefined) this.#rows.release(e.slot)
      return false
    }
    if (known === undefined) this.#insert(name, e.slot, now)
    return true
  }

  chau(name: string, details?: EvidenceDetails<S>): boolean {
    if (name === '' || name === this.#me) return false
    const now = this.#nowMs()
    const e = this.#row(name)
    if (!e || this.#isStale(e, details, now)) return false
    recordChau(e, details, now)
    return true
  }

  learnHearsay(name: string, info: { publicKey?: string; naraId?: string }): void {
    if (name === '' || name === this.#me || this.#slots.has(name)) return
    const now = this.#nowMs()
    const e = this.#w.at(this.#rows.alloc(name, now))
    e.publicKey = info.publicKey || undefined
    e.naraId = info.naraId || undefined
    this.#insert(name, e.slot, now)
  }

  hadStandingBefore(name: string, atMs: number): boolean {
    const since = this.#row(name)?.standingSinceMs
    return since !== undefined && since < atMs
  }

  get(name: string): Neighbour<S> | undefined {
    const e = this.#row(name)
    return e ? viewOf(this.#t, e, this.#nowMs()) : undefined
  }

  list(): Neighbour<S>[] {
    const now = this.#nowMs()
    return [...this.#slots.values()]
      .map((slot) => viewOf(this.#t, this.#w.at(slot), now))
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  peek(name: string): Readonly<NeighbourFacts<S>> | undefined {
    const slot = this.#slots.get(name)
    return slot === undefined ? undefined : this.#peeked.at(slot)
  }

  each(fn: (row: Readonly<NeighbourFacts<S>>, state: NeighbourState) => void): void {
    const now = this.#nowMs()
    const row = this.#each
    for (const slot of this.#slots.values()) fn(row.at(slot), stateOf(this.#t, row, now))
  }

  counts(): Record<NeighbourState, number> {
    const now = this.#nowMs()
    const counts: Record<NeighbourState, number> = { ONLINE: 0, OFFLINE: 0, MISSING: 0, hearsay: 0 }
    for (const slot of this.#slots.values()) counts[stateOf(this.#t, this.#w.at(slot), now)] += 1
    return counts
  }

  observationOf(name: string): WireObservation {
    const e = this.#row(name)
    return e ? wireObservation(this.#t, e, this.#nowMs()) : {}
  }

  observations(): Record<string, WireObservation> {
    const out: Record<string, WireObservation> = {}
    for (const name of [...this.#slots.keys()].sort()) {
      if (!this.#row(name)?.hearsay) out[name] = this.observationOf(name)
    }
    return out
  }

  size(): number {
    return this.#slots.size
  }

  /** The table's own cursor at the row of `name`, if there is one. */
  #row(name: string): Entry<S> | undefined {
    const slot = this.#slots.get(name)
    return slot === undefined ? undefined : this.#w.at(slot)
  }

  #isStale(e: Entry<S> | undefined, details: EvidenceDetails<S> | undefined, now: number) {
    return details?.eventTimeMs !== undefined && now - details.eventTimeMs > thresholdMs(this.#t, e)
  }

  /** Adds a row, evicting by rank when the table is over its bound (maybe the new row itself). */
  #insert(name: string, slot: number, now: number): void {
    const slots = this.#slots
    slots.set(name, slot)
    if (slots.size <= this.#maxEntries) return
    const rank = (x: Entry<S>) => evictionRank(this.#t, x, now)
    const release = (s: number) => this.#rows.release(s)
    evict(slots, this.#w, slots.size - this.#maxEntries, rank, this.#maxEntries, release)
  }
}
