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
 * All keys share one TTL and time only moves forward, so insertion order is expiry order and
 * pruning stops at the first unexpired key (amortised O(1)). The first key's expiry is kept
 * aside, so an `add` with nothing expired yet does not even start a scan.
 */
import { OwnerShares } from './owner-shares.js'

/** Who a key is remembered for. */
export interface KeyOwner {
  /** The sender whose message the key remembers. */
  readonly owner: string
  /** Whether that sender has standing (a durable pin): its keys are forgotten last. */
  readonly standing?: boolean
}

interface Entry {
  readonly expiresAt: number
  readonly owner: string | undefined
}

export class ExpiringSet {
  readonly maxSize: number
  readonly ttlMs: number
  readonly maxPerOwner: number
  readonly #entries = new Map<string, Entry>()
  /** Each owner's keys, oldest first. */
  readonly #owned = new Map<string, Set<string>>()
  readonly #shares = new OwnerShares()
  /**
   * No key expires before this (the first key's expiry when it was last known). It may be too
   * early (the first key was deleted since), never too late: a scan then only finds nothing.
   */
  #nextExpiry = Number.POSITIVE_INFINITY

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
    if (nowMs < this.#nextExpiry) return
    this.#nextExpiry = Number.POSITIVE_INFINITY
    for (const [key, entry] of this.#entries) {
      if (entry.expiresAt > nowMs) {
        this.#nextExpiry = entry.expiresAt
        break
      }
      this.#forget(key, entry)
    }
  }

  #set(key: string, expiresAt: number, by: KeyOwner | undefined): void {
    this.#entries.set(key, { expiresAt, owner: by?.owner })
    if (by !== undefined) {
      let keys = this.#owned.get(by.owner)
      if (keys === undefined) {
        keys = new Set()
        this.#owned.set(by.owner, keys)
      }
      keys.add(key)
      this.#shares.add(by.owner, by.standing === true)
    }
    if (expiresAt < this.#nextExpiry) this.#nextExpiry = expiresAt
  }

  #forget(key: string, entry: Entry): void {
    this.#entries.delete(key)
    const owner = entry.owner
    if (owner === undefined) return
    const keys = this.#owned.get(owner)
    keys?.delete(key)
    if (keys?.size === 0) this.#owned.delete(owner)
    this.#shares.remove(owner)
  }

  /** Forgets the oldest key of `owner`. */
  #forgetOldestOf(owner: string): void {
    const oldest = this.#owned.get(owner)?.values().next()
    if (oldest !== undefined && oldest.done !== true) this.delete(oldest.value)
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
    if (by !== undefined && this.#shares.of(by.owner) >= this.maxPerOwner) return 'full'
    if (this.#entries.size >= this.maxSize) {
      const payer =
        by === undefined ? undefined : this.#shares.payer(by.owner, by.standing === true)
      if (payer === undefined) return 'full'
      this.#forgetOldestOf(payer)
    }
    // An expired key still here (the caller's time went back): re-insert it in expiry order.
    if (entry !== undefined) this.delete(key)
    this.#set(key, nowMs + this.ttlMs, by)
    return 'added'
  }

  /**
   * Remembers `key` anew from `nowMs` (a hint: when the owner's share or the memory is full, the
   * owner's own oldest key, the payer's, or the oldest key makes room).
   */
  refresh(key: string, nowMs: number, by?: KeyOwner): void {
    this.#prune(nowMs)
    this.delete(key)
    if (by !== undefined && this.#shares.of(by.owner) >= this.maxPerOwner) {
      this.#forgetOldestOf(by.owner)
    }
    if (this.#entries.size >= this.maxSize) {
      const payer =
        by === undefined ? undefined : this.#shares.payer(by.owner, by.standing === true)
      if (payer !== undefined) this.#forgetOldestOf(payer)
      else {
        const oldest = this.#entries.keys().next()
        if (!oldest.done) this.delete(oldest.value)
      }
    }
    this.#set(key, nowMs + this.ttlMs, by)
  }

  /** Forgets `key`. */
  delete(key: string): void {
    const entry = this.#entries.get(key)
    if (entry === undefined) return
    this.#forget(key, entry)
    // The next scan re-reads the first key's expiry (this may have been the first key).
    this.#nextExpiry = Number.NEGATIVE_INFINITY
  }
}
