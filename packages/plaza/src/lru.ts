/**
 * A bounded map that evicts the least recently used entry. `get` and `set` refresh recency.
 * Backed by a `Map` (insertion order), so every operation is O(1).
 */
export class LruMap<K, V> {
  readonly #map = new Map<K, V>()
  readonly maxSize: number

  constructor(maxSize: number) {
    if (!Number.isInteger(maxSize) || maxSize < 1) {
      throw new RangeError(`LRU size must be a positive integer (got ${maxSize})`)
    }
    this.maxSize = maxSize
  }

  get size(): number {
    return this.#map.size
  }

  get(key: K): V | undefined {
    const value = this.#map.get(key)
    if (value !== undefined) {
      this.#map.delete(key)
      this.#map.set(key, value)
    }
    return value
  }

  /** Reads without refreshing recency. */
  peek(key: K): V | undefined {
    return this.#map.get(key)
  }

  has(key: K): boolean {
    return this.#map.has(key)
  }

  set(key: K, value: V): this {
    this.#map.delete(key)
    this.#map.set(key, value)
    while (this.#map.size > this.maxSize) {
      const oldest = this.#map.keys().next()
      if (oldest.done === true) break
      this.#map.delete(oldest.value)
    }
    return this
  }

  delete(key: K): boolean {
    return this.#map.delete(key)
  }

  /** The least recently used entry, if any. */
  oldest(): [K, V] | undefined {
    const first = this.#map.entries().next()
    return first.done === true ? undefined : first.value
  }

  clear(): void {
    this.#map.clear()
  }
}

/** A bounded set of recently seen keys (for dedupe). */
export class LruSet<K> {
  readonly #lru: LruMap<K, true>

  constructor(maxSize: number) {
    this.#lru = new LruMap(maxSize)
  }

  get size(): number {
    return this.#lru.size
  }

  has(key: K): boolean {
    return this.#lru.has(key)
  }

  /** Adds `key`; returns false when it was already present (a duplicate). */
  add(key: K): boolean {
    if (this.#lru.has(key)) {
      this.#lru.get(key)
      return false
    }
    this.#lru.set(key, true)
    return true
  }

  delete(key: K): boolean {
    return this.#lru.delete(key)
  }
}
