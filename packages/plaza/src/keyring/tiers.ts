/**
 * The two tiers of normal pins. Pins the plaza makes on first use are PROVISIONAL: evictable
 * (oldest first) when the keyring is full, and not persisted. A verified message from the same
 * key at least `promoteAfterMs` after the pin makes it DURABLE: never evicted, persisted.
 */

/** What a tier tracks of a pin. */
export interface Tiered {
  durable: boolean
  readonly pinnedAtMs: number
}

/** The provisional pins, oldest first. */
export class ProvisionalTier<E extends Tiered> {
  readonly #entries = new Set<E>()
  readonly #promoteAfterMs: number

  constructor(promoteAfterMs: number) {
    this.#promoteAfterMs = promoteAfterMs
  }

  add(entry: E): void {
    this.#entries.add(entry)
  }

  delete(entry: E): void {
    this.#entries.delete(entry)
  }

  /** Makes `entry` durable; false when it already was. */
  promote(entry: E): boolean {
    if (entry.durable) return false
    entry.durable = true
    this.#entries.delete(entry)
    return true
  }

  /** Whether a verified message at `nowMs` promotes `entry` (pinned long enough ago). */
  due(entry: E, nowMs: number): boolean {
    return !entry.durable && nowMs - entry.pinnedAtMs >= this.#promoteAfterMs
  }

  /**
   * The oldest provisional entries (never `keep`) whose eviction frees `needed` label slots,
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
    for (const e of this.#entries) {
      if (free >= needed) break
      if (e === keep) continue
      victims.push(e)
      free += labelsOf(e)
    }
    return free >= needed ? victims : undefined
  }
}
