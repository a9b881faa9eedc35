/**
 * Replay memory with a time bound: a key is remembered for `ttlMs` after it was added, and at
 * most `maxSize` unexpired keys are kept. When the memory is full of unexpired keys, `add`
 * refuses (`full`) instead of evicting one: forgetting an unexpired key would re-open the replay
 * window it guards, so the caller fails closed. Time comes from the caller (ms).
 *
 * All keys share one TTL and time only moves forward, so insertion order is expiry order and
 * pruning stops at the first unexpired key (amortised O(1)). The first key's expiry is kept
 * aside, so an `add` with nothing expired yet does not even start a scan.
 */
export class ExpiringSet {
  readonly maxSize: number
  readonly ttlMs: number
  readonly #expiry = new Map<string, number>()
  /**
   * No key expires before this (the first key's expiry when it was last known). It may be too
   * early (the first key was deleted since), never too late: a scan then only finds nothing.
   */
  #nextExpiry = Number.POSITIVE_INFINITY

  constructor(maxSize: number, ttlMs: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`replay memory size must be a positive integer (got ${maxSize})`)
    }
    if (!(ttlMs > 0)) throw new RangeError(`replay memory TTL must be > 0 ms (got ${ttlMs})`)
    this.maxSize = maxSize
    this.ttlMs = ttlMs
  }

  /** Unexpired keys (after pruning at `nowMs`). */
  size(nowMs: number): number {
    this.#prune(nowMs)
    return this.#expiry.size
  }

  #prune(nowMs: number): void {
    if (nowMs < this.#nextExpiry) return
    this.#nextExpiry = Number.POSITIVE_INFINITY
    for (const [key, expiresAt] of this.#expiry) {
      if (expiresAt > nowMs) {
        this.#nextExpiry = expiresAt
        break
      }
      this.#expiry.delete(key)
    }
  }

  #set(key: string, expiresAt: number): void {
    this.#expiry.set(key, expiresAt)
    if (expiresAt < this.#nextExpiry) this.#nextExpiry = expiresAt
  }

  /** Whether `key` was added less than `ttlMs` before `nowMs`. */
  has(key: string, nowMs: number): boolean {
    const expiresAt = this.#expiry.get(key)
    return expiresAt !== undefined && expiresAt > nowMs
  }

  /** Remembers `key`: `added`, `present` (already remembered), or `full` (nothing changed). */
  add(key: string, nowMs: number): 'added' | 'present' | 'full' {
    this.#prune(nowMs)
    const expiresAt = this.#expiry.get(key)
    if (expiresAt !== undefined && expiresAt > nowMs) return 'present'
    if (this.#expiry.size >= this.maxSize) return 'full'
    // An expired key still here (the caller's time went back): re-insert it in expiry order.
    if (expiresAt !== undefined) this.delete(key)
    this.#set(key, nowMs + this.ttlMs)
    return 'added'
  }

  /** Remembers `key` anew from `nowMs` (a hint: when full, the oldest key makes room). */
  refresh(key: string, nowMs: number): void {
    this.#prune(nowMs)
    this.delete(key)
    if (this.#expiry.size >= this.maxSize) {
      const oldest = this.#expiry.keys().next()
      if (!oldest.done) this.delete(oldest.value)
    }
    this.#set(key, nowMs + this.ttlMs)
  }

  /** Forgets `key`. */
  delete(key: string): void {
    // The next scan re-reads the first key's expiry (this may have been the first key).
    if (this.#expiry.delete(key)) this.#nextExpiry = Number.NEGATIVE_INFINITY
  }
}
