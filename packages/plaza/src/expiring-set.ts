/**
 * Replay memory with a time bound: a key is remembered for `ttlMs` after it was added, and at
 * most `maxSize` unexpired keys are kept. Forgetting an unexpired key would re-open the replay
 * window it guards, so a key is only forgotten to make room for ANOTHER sender:
 *
 * - a key may have an owner (the sender whose verified message it remembers). An owner holds at
 *   most `maxPerOwner` keys; beyond it its adds are refused (`full`): a flood fills only its own
 *   share, and it can never make room by forgetting its own keys;
 * - when the memory is full, an owned add makes room by forgetting the oldest key of the owner
 *   that holds the most (owners without standing first, see `owner-shares.ts`); when that is the
 *   adder itself, or the add has no owner, it is refused (`full`): the caller fails closed.
 *
 * All keys share one TTL and time only moves forward, so insertion order is expiry order: the
 * entries wait in one queue, and each owner's in another, oldest first (`entry-queue.ts`), so
 * pruning and making room pop heads in amortised O(1), and pruning stops at the first unexpired
 * key. When the caller's time goes back, pruning still stops there (as a scan in insertion order
 * would).
 */
import { EntryQueue } from './entry-queue.js'
import { OwnerShares, Share } from './owner-shares.js'

/** Who a key is remembered for. */
export interface KeyOwner {
  /** The sender whose message the key remembers. */
  readonly owner: string
  /** Whether that sender has standing (a durable pin): its keys are forgotten last. */
  readonly standing?: boolean
}

/** An owner's share, with its entries oldest first (as many as its count). */
class Holder extends Share {
  readonly queue = new EntryQueue<Entry>()
}

/** One remembered key, queued in the memory's queue and in its owner's. */
interface Entry {
  readonly key: string
  readonly expiresAt: number
  readonly holder: Holder | undefined
  /** Cleared when forgotten: the queues then skip it. */
  live: boolean
}

export class ExpiringSet {
  readonly maxSize: number
  readonly ttlMs: number
  readonly maxPerOwner: number
  readonly #entries = new Map<string, Entry>()
  /** Every entry, oldest first. */
  readonly #queue = new EntryQueue<Entry>()
  readonly #shares = new OwnerShares((owner) => new Holder(owner))

  constructor(maxSize: number, ttlMs: number, maxPerOwner = maxSize) {
    for (const [name, value] of [
      ['size', maxSize],
      ['per-owner size', maxPerOwner],
    ] as const) {
      if (!Number.isInteger(value) || value < 1) {
        throw new RangeError(`replay memory ${name} must be a positive integer (got ${value})`)
      }
    }
    if (!(ttlMs > 0)) throw new RangeError(`replay memory TTL must be > 0 ms (got ${ttlMs})`)
    this.maxSize = maxSize
    this.ttlMs = ttlMs
    this.maxPerOwner = maxPerOwner
  }

  /** Unexpired keys (after pruning at `nowMs`). */
  size(nowMs: number): number {
    this.#prune(nowMs)
    return this.#entries.size
  }

  /** Unexpired keys `owner` holds (after pruning at `nowMs`). */
  sizeOf(owner: string, nowMs: number): number {
    this.#prune(nowMs)
    return this.#shares.of(owner)
  }

  /** Owners holding at least one key (after pruning at `nowMs`). */
  owners(nowMs: number): number {
    this.#prune(nowMs)
    return this.#shares.owners
  }

  #prune(nowMs: number): void {
    for (let e = this.#queue.first(); e !== undefined && e.expiresAt <= nowMs; ) {
      this.#forget(e)
      e = this.#queue.first()
    }
  }

  /** `holder`: the owner's record, if it holds keys (one found before may have emptied since). */
  #set(key: string, expiresAt: number, by: KeyOwner | undefined, holder: Holder | undefined): void {
    if (by !== undefined) {
      holder ??= new Holder(by.owner)
      this.#shares.grow(holder, by.standing === true)
    }
    const entry: Entry = { key, expiresAt, holder, live: true }
    this.#entries.set(key, entry)
    this.#queue.push(entry)
    holder?.queue.push(entry)
  }

  #forget(entry: Entry): void {
    this.#entries.delete(entry.key)
    entry.live = false
    this.#queue.forgot(entry)
    const holder = entry.holder
    if (holder === undefined) return
    holder.queue.forgot(entry)
    this.#shares.shrink(holder)
  }

  /** Forgets the oldest key of `holder`. */
  #forgetOldestOf(holder: Holder | undefined): void {
    const oldest = holder?.queue.first()
    if (oldest !== undefined) this.#forget(oldest)
  }

  /** Whether `key` was added less than `ttlMs` before `nowMs`. */
  has(key: string, nowMs: number): boolean {
    const entry = this.#entries.get(key)
    return entry !== undefined && entry.expiresAt > nowMs
  }

  /**
   * Remembers `key` (for `by`'s owner): `added`, `present` (already remembered), or `full`
   * (nothing changed: the owner holds its whole share, or the memory is full and no other owner
   * holds more, see the header).
   */
  add(key: string, nowMs: number, by?: KeyOwner): 'added' | 'present' | 'full' {
    this.#prune(nowMs)
    const entry = this.#entries.get(key)
    if (entry !== undefined && entry.expiresAt > nowMs) return 'present'
    const holder = by === undefined ? undefined : this.#shares.find(by.owner)
    if (holder !== undefined && holder.count >= this.maxPerOwner) return 'full'
    if (this.#entries.size >= this.maxSize) {
      if (by === undefined) return 'full'
      const payer = this.#shares.payerOf(holder, by.standing === true)
      if (payer === undefined) return 'full'
      this.#forgetOldestOf(payer)
    }
    // An expired key still here (the caller's time went back): re-insert it in expiry order
    // (unless it just paid for itself).
    if (entry?.live === true) this.#forget(entry)
    this.#set(key, nowMs + this.ttlMs, by, holder)
    return 'added'
  }

  /**
   * Remembers `key` anew from `nowMs` (a hint: when the owner's share or the memory is full, the
   * owner's own oldest key, the payer's, or the oldest key makes room).
   */
  refresh(key: string, nowMs: number, by?: KeyOwner): void {
    this.#prune(nowMs)
    this.delete(key)
    const holder = by === undefined ? undefined : this.#shares.find(by.owner)
    if (holder !== undefined && holder.count >= this.maxPerOwner) this.#forgetOldestOf(holder)
    if (this.#entries.size >= this.maxSize) {
      const payer =
        by === undefined ? undefined : this.#shares.payerOf(holder, by.standing === true)
      if (payer !== undefined) this.#forgetOldestOf(payer)
      else {
        const oldest = this.#queue.first()
        if (oldest !== undefined) this.#forget(oldest)
      }
    }
    this.#set(key, nowMs + this.ttlMs, by, holder)
  }

  /** Forgets `key`. */
  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (entry !== undefined) this.#forget(entry)
  }
}
