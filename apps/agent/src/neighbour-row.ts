/**
 * The rows of one neighbourhood table, stored by column: no object per row. A row is a slot; its
 * name and the references it shares with other tables (key, NaraID, status: in a town every nara
 * holds the same decoded objects) sit in four arrays, and its times, counters and flags in one
 * `Float64Array`, {@link COLUMNS} numbers per slot. A {@link RowCursor} reads and writes the slot
 * it is positioned at through the {@link NeighbourFacts} fields, so the rules over one row
 * (`neighbour-entry.ts`) read as over an object.
 *
 * Why: a town process holds one row per pair of naras (each nara keeps its own view), 500 × 999 at
 * a town of 1,000. As plain 18-field objects with boxed timestamps they were ~226 bytes of V8 heap
 * each, and V8 lets the old generation grow to a multiple of what survives a full GC; in columns
 * a row is four references (~40 bytes with the arrays' slack) plus {@link COLUMNS} × 8 bytes off
 * the heap.
 *
 * Slots of removed rows are reused; the column array grows by a quarter, so it never holds room
 * for more than 1.25 times (plus 8) the most rows the table had at once.
 */
import type { EvidenceKind, NeighbourFacts, PeerStatusLike } from './neighbour-facts.js'

/** Numbers per row (its slot in the column array). */
export const COLUMNS = 14
const STATUS_AT = 0
const FIRST_SEEN = 1
const LAST_SEEN = 2
const STANDING_SINCE = 3
const RESTARTS = 4
const LAST_RESTART = 5
const VERIFIED = 6
const LAST_NEWSPAPER = 7
const LAST_HEY_THERE = 8
const OFFLINE_AT = 9
const ONLINE_SINCE = 10
const ACCUMULATED = 11
const HEARSAY = 12
const LAST_EVIDENCE = 13

type LastEvidence = EvidenceKind | 'chau' | 'hearsay'
const EVIDENCE: readonly LastEvidence[] = [
  'hearsay',
  'hey_there',
  'howdy',
  'newspaper',
  'social',
  'checkpoint',
  'chau',
]
const EVIDENCE_INDEX = new Map(EVIDENCE.map((k, i) => [k, i]))

/** The slots of one table: its references in arrays, its numbers in columns. */
export class RowStore<S extends PeerStatusLike> {
  /** `COLUMNS` numbers per slot; NaN is `undefined`. */
  cols = new Float64Array(COLUMNS * 8)
  readonly names: string[] = []
  readonly keys: (string | undefined)[] = []
  readonly ids: (string | undefined)[] = []
  readonly statuses: (S | undefined)[] = []
  readonly #free: number[] = []
  #next = 0

  /** A slot for a hearsay row of `name` first seen `now` (every other number undefined or 0). */
  alloc(name: string, now: number): number {
    let slot = this.#free.pop()
    if (slot === undefined) {
      slot = this.#next++
      if ((slot + 1) * COLUMNS > this.cols.length) this.#grow()
    }
    this.names[slot] = name
    this.keys[slot] = undefined
    this.ids[slot] = undefined
    this.statuses[slot] = undefined
    const at = slot * COLUMNS
    this.cols.fill(Number.NaN, at, at + COLUMNS)
    this.cols[at + FIRST_SEEN] = now
    this.cols[at + RESTARTS] = 0
    this.cols[at + VERIFIED] = 0
    this.cols[at + ACCUMULATED] = 0
    this.cols[at + HEARSAY] = 1
    this.cols[at + LAST_EVIDENCE] = 0
    return slot
  }

  /** Frees `slot` for reuse and lets go of what it referenced. */
  release(slot: number): void {
    this.names[slot] = ''
    this.keys[slot] = undefined
    this.ids[slot] = undefined
    this.statuses[slot] = undefined
    this.#free.push(slot)
  }

  /** Rows the column array has room for. */
  capacity(): number {
    return this.cols.length / COLUMNS
  }

  /** Slots in use. */
  used(): number {
    return this.#next - this.#free.length
  }

  /** By a quarter (at least 8 rows): a table of 999 rows holds room for at most ~1,250. */
  #grow(): void {
    const rows = this.capacity()
    const cols = new Float64Array((rows + Math.max(8, Math.ceil(rows / 4))) * COLUMNS)
    cols.set(this.cols)
    this.cols = cols
  }
}

const opt = (v: number) => (Number.isNaN(v) ? undefined : v)
const num = (v: number | undefined) => (v === undefined ? Number.NaN : v)

/**
 * The row at one slot of a store, as the facts of {@link NeighbourFacts} plus the ONLINE spans
 * behind its state (`offlineAtMs`, `onlineSinceMs`, `accumulatedMs`). One cursor serves every
 * row: {@link RowCursor.at} moves it, so what it reads is the row of the last `at`.
 */
export class RowCursor<S extends PeerStatusLike> implements NeighbourFacts<S> {
  readonly #store: RowStore<S>
  #slot = 0
  #at = 0

  constructor(store: RowStore<S>) {
    this.#store = store
  }

  /** Positions the cursor at `slot` (a slot in use). */
  at(slot: number): this {
    this.#slot = slot
    this.#at = slot * COLUMNS
    return this
  }

  get slot(): number {
    return this.#slot
  }

  get name(): string {
    return this.#store.names[this.#slot] ?? ''
  }
  get publicKey() {
    return this.#store.keys[this.#slot]
  }
  set publicKey(v: string | undefined) {
    this.#store.keys[this.#slot] = v
  }
  get naraId() {
    return this.#store.ids[this.#slot]
  }
  set naraId(v: string | undefined) {
    this.#store.ids[this.#slot] = v
  }
  get status() {
    return this.#store.statuses[this.#slot]
  }
  set status(v: S | undefined) {
    this.#store.statuses[this.#slot] = v
  }
  declare statusAtMs: number | undefined
  declare firstSeenMs: number
  declare lastSeenMs: number | undefined
  declare standingSinceMs: number | undefined
  declare restarts: number
  declare lastRestartMs: number | undefined
  declare verified: number
  declare lastNewspaperMs: number | undefined
  declare lastHeyThereMs: number | undefined
  declare offlineAtMs: number | undefined
  declare onlineSinceMs: number | undefined
  declare accumulatedMs: number

  /** The number in column `col` of the current row (the accessors below the class use it). */
  read(col: number): number {
    return this.#store.cols[this.#at + col] as number
  }

  write(col: number, v: number): void {
    this.#store.cols[this.#at + col] = v
  }

  get hearsay() {
    return this.read(HEARSAY) === 1
  }
  set hearsay(v: boolean) {
    this.write(HEARSAY, v ? 1 : 0)
  }
  get lastEvidence(): LastEvidence {
    return EVIDENCE[this.read(LAST_EVIDENCE)] ?? 'hearsay'
  }
  set lastEvidence(v: LastEvidence) {
    this.write(LAST_EVIDENCE, EVIDENCE_INDEX.get(v) ?? 0)
  }

  /** The facts as a plain object (a copy). */
  facts(): NeighbourFacts<S> {
    return {
      name: this.name,
      publicKey: this.publicKey,
      naraId: this.naraId,
      status: this.status,
      statusAtMs: this.statusAtMs,
      firstSeenMs: this.firstSeenMs,
      lastSeenMs: this.lastSeenMs,
      lastEvidence: this.lastEvidence,
      hearsay: this.hearsay,
      standingSinceMs: this.standingSinceMs,
      restarts: this.restarts,
      lastRestartMs: this.lastRestartMs,
      verified: this.verified,
      lastNewspaperMs: this.lastNewspaperMs,
      lastHeyThereMs: this.lastHeyThereMs,
    }
  }
}

/** The numeric fields and their columns: optional ones (NaN in the column is `undefined`)... */
const OPTIONAL: Record<string, number> = {
  statusAtMs: STATUS_AT,
  lastSeenMs: LAST_SEEN,
  standingSinceMs: STANDING_SINCE,
  lastRestartMs: LAST_RESTART,
  lastNewspaperMs: LAST_NEWSPAPER,
  lastHeyThereMs: LAST_HEY_THERE,
  offlineAtMs: OFFLINE_AT,
  onlineSinceMs: ONLINE_SINCE,
}
/** ...and the ones always set. */
const ALWAYS: Record<string, number> = {
  firstSeenMs: FIRST_SEEN,
  restarts: RESTARTS,
  verified: VERIFIED,
  accumulatedMs: ACCUMULATED,
}
type AnyCursor = RowCursor<PeerStatusLike>
for (const [field, col] of Object.entries(OPTIONAL)) {
  Object.defineProperty(RowCursor.prototype, field, {
    get(this: AnyCursor) {
      return opt(this.read(col))
    },
    set(this: AnyCursor, v: number | undefined) {
      this.write(col, num(v))
    },
  })
}
for (const [field, col] of Object.entries(ALWAYS)) {
  Object.defineProperty(RowCursor.prototype, field, {
    get(this: AnyCursor) {
      return this.read(col)
    },
    set(this: AnyCursor, v: number) {
      this.write(col, v)
    },
  })
}
