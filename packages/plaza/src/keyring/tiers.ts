/**
 * The two tiers of normal pins. Pins the plaza makes on first use are PROVISIONAL and not
 * persisted. A provisional pin whose key spoke (verified) again is CONFIRMED; one that never did
 * is evictable (oldest first) when the keyring is full, so a flood of one-message names only ever
 * evicts its own kind, never a pin that was confirmed. A verified message from the same key at
 * least `promoteAfterMs` after the pin makes it DURABLE: never evicted, persisted. When no
 * never-confirmed pin is left to evict, a new pin is refused (`full`).
 */

/** What a tier tracks of a pin. */
export interface Tiered {
  durable: boolean
  readonly pinnedAtMs: number
}

/** The provisional pins, oldest first: never confirmed (evictable), and confirmed. */
export class ProvisionalTier<E extends Tiered> {
  readonly #fresh = new Set<E>()
  readonly #confirmed = new Set<E>()
  readonly #promoteAfterMs: number

  constructor(promoteAfterMs: number) {
    this.#promoteAfterMs = promoteAfterMs
  }

  add(entry: E): void {
    this.#fresh.add(entry)
  }

  delete(entry: E): void {
    this.#fresh.delete(entry)
    this.#confirmed.delete(entry)
  }

  /** Never-confirmed provisional pins (the evictable ones). */
  get evictable(): number {
    return this.#fresh.size
  }

  /** The key of a provisional `entry` spoke again: it is no longer evictable. */
  confirm(entry: E): void {
    if (!entry.durable && this.#fresh.delete(entry)) this.#confirmed.add(entry)
  }

  /** Makes `entry` durable; false when it already was. */
  promote(entry: E): boolean {
    if (entry.durable) return false
    entry.durable = true
    this.delete(entry)
    return true
  }

  /** Whether a verified message at `nowMs` promotes `entry` (pinned long enough ago). */
  due(entry: E, nowMs: number): boolean {
    return !entry.durable && nowMs - entry.pinnedAtMs >= this.#promoteAfterMs
  }

  /**
   * The oldest never-confirmed provisional entries (never `keep`) whose eviction frees `needed`
   * label slots,
   * given `free` slots now (`labelsOf` counts an entry's slots); undefined when even evicting
   * every one would not.
   */
  victims(
    free: number,
    needed: number,
    keep: E | undefined,
    labelsOf: (e: E) => number,
  ): E[] | undefined {
    const victims: E[] = []
    for (const e of this.#fresh) {
      if (free >= needed) break
      if (e === keep) continue
      victims.push(e)
      free += labelsOf(e)
    }
    return free >= needed ? victims : undefined
  }
}
