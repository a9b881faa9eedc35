/**
 * The rows of one neighbourhood table, stored by column: a row object keeps only its name and
 * the references it shares with other tables (key, NaraID, status: in a town every nara holds the
 * same decoded objects), and its times, counters and flags live in one `Float64Array` per table,
 * a slot of {@link COLUMNS} numbers per row, read and written through the row's accessors.
 *
 * Why: a town process holds one row per pair of naras (each nara keeps its own view), 500 × 999 at
 * a town of 1,000. As plain 18-field objects with boxed timestamps they were ~226 bytes of V8 heap
 * each, and V8 lets the old generation grow to about 4x what survives a full GC; in columns a row
 * is ~72 bytes of heap plus {@link COLUMNS} × 8 bytes off the heap.
 *
 * Slots of removed rows are reused; the column array grows by doubling, so it never holds more
 * than twice the most rows the table had at once. A removed row reads as empty (its numbers
 * undefined or 0): keep no row past the call that got it if the table may evict meanwhile.
 */
import type { EvidenceKind, NeighbourFacts, PeerStatusLike } from './neighbourhood.js'

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

/** Slots and their column array for one table. */
export class RowStore {
  /** `COLUMNS` numbers per slot; NaN is `undefined`. */
  cols = new Float64Array(COLUMNS * 8)
  readonly #free: number[] = []
  #next = 0

  /** A slot of empty numbers (all undefined, counters 0). */
  alloc(): number {
    let slot = this.#free.pop()
    if (slot === undefined) {
      slot = this.#next++
      if ((slot + 1) * COLUMNS > this.cols.length) this.#grow()
    }
    const at = slot * COLUMNS
    this.cols.fill(Number.NaN, at, at + COLUMNS)
    this.cols[at + RESTARTS] = 0
    this.cols[at + VERIFIED] = 0
    this.cols[at + ACCUMULATED] = 0
    return slot
  }

  release(slot: number): void {
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

  #grow(): void {
    const cols = new Float64Array(this.cols.length * 2)
    cols.set(this.cols)
    this.cols = cols
  }
}

const opt = (v: number | undefined) => (v === undefined || Number.isNaN(v) ? undefined : v)
const num = (v: number | undefined) => (v === undefined ? Number.NaN : v)

/**
 * One row: the facts of {@link NeighbourFacts} plus the ONLINE spans behind its state
 * (`offlineAtMs`, `onlineSinceMs`, `accumulatedMs`), the numbers kept in its store's columns.
 */
export class Row<S extends PeerStatusLike> implements NeighbourFacts<S> {
  readonly name: string
  publicKey: string | undefined = undefined
  naraId: string | undefined = undefined
  status: S | undefined = undefined
  readonly #store: RowStore
  #at: number

  constructor(store: RowStore, name: string, now: number) {
    this.name = name
    this.#store = store
    this.#at = store.alloc() * COLUMNS
    store.cols[this.#at + FIRST_SEEN] = now
    this.hearsay = true
    this.lastEvidence = 'hearsay'
  }

  /** Gives its slot back to the store; the row reads as empty from now on. */
  release(): void {
    if (this.#at < 0) return
    this.#store.release(this.#at / COLUMNS)
    this.#at = -1
  }

  #get(col: number): number | undefined {
    return this.#at < 0 ? undefined : this.#store.cols[this.#at + col]
  }

  #set(col: number, v: number): void {
    if (this.#at >= 0) this.#store.cols[this.#at + col] = v
  }

  get statusAtMs() {
    return opt(this.#get(STATUS_AT))
  }
  set statusAtMs(v: number | undefined) {
    this.#set(STATUS_AT, num(v))
  }
  get firstSeenMs() {
    return this.#get(FIRST_SEEN) ?? 0
  }
  set firstSeenMs(v: number) {
    this.#set(FIRST_SEEN, v)
  }
  get lastSeenMs() {
    return opt(this.#get(LAST_SEEN))
  }
  set lastSeenMs(v: number | undefined) {
    this.#set(LAST_SEEN, num(v))
  }
  get standingSinceMs() {
    return opt(this.#get(STANDING_SINCE))
  }
  set standingSinceMs(v: number | undefined) {
    this.#set(STANDING_SINCE, num(v))
  }
  get restarts() {
    return this.#get(RESTARTS) ?? 0
  }
  set restarts(v: number) {
    this.#set(RESTARTS, v)
  }
  get lastRestartMs() {
    return opt(this.#get(LAST_RESTART))
  }
  set lastRestartMs(v: number | undefined) {
    this.#set(LAST_RESTART, num(v))
  }
  get verified() {
    return this.#get(VERIFIED) ?? 0
  }
  set verified(v: number) {
    this.#set(VERIFIED, v)
  }
  get lastNewspaperMs() {
    return opt(this.#get(LAST_NEWSPAPER))
  }
  set lastNewspaperMs(v: number | undefined) {
    this.#set(LAST_NEWSPAPER, num(v))
  }
  get lastHeyThereMs() {
    return opt(this.#get(LAST_HEY_THERE))
  }
  set lastHeyThereMs(v: number | undefined) {
    this.#set(LAST_HEY_THERE, num(v))
  }
  get offlineAtMs() {
    return opt(this.#get(OFFLINE_AT))
  }
  set offlineAtMs(v: number | undefined) {
    this.#set(OFFLINE_AT, num(v))
  }
  get onlineSinceMs() {
    return opt(this.#get(ONLINE_SINCE))
  }
  set onlineSinceMs(v: number | undefined) {
    this.#set(ONLINE_SINCE, num(v))
  }
  get accumulatedMs() {
    return this.#get(ACCUMULATED) ?? 0
  }
  set accumulatedMs(v: number) {
    this.#set(ACCUMULATED, v)
  }
  get hearsay() {
    return this.#get(HEARSAY) === 1
  }
  set hearsay(v: boolean) {
    this.#set(HEARSAY, v ? 1 : 0)
  }
  get lastEvidence(): LastEvidence {
    return EVIDENCE[this.#get(LAST_EVIDENCE) ?? 0] ?? 'hearsay'
  }
  set lastEvidence(v: LastEvidence) {
    this.#set(LAST_EVIDENCE, EVIDENCE_INDEX.get(v) ?? 0)
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
