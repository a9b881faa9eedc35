/**
 * Replay memory with a time bound: a key is remembered for `ttlMs` after it was added, and at
 * most `maxSize` unexpired keys are kept. When the memory is full of unexpired keys, `add`
 * refuses (`full`) instead of evicting one: forgetting an unexpired key would re-open the replay
 * window it guards, so the caller fails closed. Time comes from the caller (ms).
 *
 * All keys share one TTL and time only moves forward, so insertion order is expiry order and
 * pruning stops at the first unexpired key (amortised O(1)).
 */
export class ExpiringSet {
  readonly maxSize: number
  readonly ttlMs: number
  readonly #expiry = new Map<string, number>()

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
    for (const [key, expiresAt] of this.#expiry) {
      if (expiresAt > nowMs) break
      this.#expiry.delete(key)
    }
  }

  /** Whether `key` was added less than `ttlMs` before `nowMs`. */
  has(key: string, nowMs: number): boolean {
    const expiresAt = this.#expiry.get(key)
    return expiresAt !== undefined && expiresAt > nowMs
  }

  /** Remembers `key`: `added`, `present` (already remembered), or `full` (nothing changed). */
  add(key: string, nowMs: number): 'added' | 'present' | 'full' {
    this.#prune(nowMs)
    if (this.has(key, nowMs)) return 'present'
    if (this.#expiry.size >= this.maxSize) return 'full'
    this.#expiry.delete(key)
    this.#expiry.set(key, nowMs + this.ttlMs)
    return 'added'
  }

  /** Remembers `key` anew from `nowMs` (a hint: when full, the oldest key makes room). */
  refresh(key: string, nowMs: number): void {
    this.#prune(nowMs)
    this.#expiry.delete(key)
    if (this.#expiry.size >= this.maxSize) {
      const oldest = this.#expiry.keys().next()
      if (!oldest.done) this.#expiry.delete(oldest.value)
    }
    this.#expiry.set(key, nowMs + this.ttlMs)
  }

  /** Forgets `key`. */
  delete(key: string): void {
    this.#expiry.delete(key)
  }
}
