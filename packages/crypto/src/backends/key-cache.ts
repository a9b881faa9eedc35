/**
 * Caches of imported key objects. Public keys: a bounded LRU keyed by the key's base64 (one
 * entry per sender). Private keys: a `WeakMap` keyed by the caller's seed array, re-checked
 * against a copy of its contents so a mutated array never signs with a stale key.
 */
import { constantTimeEqual, toBase64 } from '../bytes.js'

/** Default number of sender keys kept per backend. */
export const DEFAULT_KEY_CACHE_ENTRIES = 1024

/** A tiny LRU (Map insertion order). */
export interface Lru<V> {
  get(key: string): V | undefined
  set(key: string, value: V): void
  readonly size: number
}

/** Creates an LRU holding at most `maxEntries` values. */
export function createLru<V>(maxEntries: number): Lru<V> {
  const map = new Map<string, V>()
  return {
    get(key) {
      const value = map.get(key)
      if (value !== undefined) {
        map.delete(key)
        map.set(key, value)
      }
      return value
    },
    set(key, value) {
      map.delete(key)
      map.set(key, value)
      while (map.size > maxEntries) {
        const oldest = map.keys().next().value
        if (oldest === undefined) break
        map.delete(oldest)
      }
    },
    get size() {
      return map.size
    },
  }
}

/** Caches `make(publicKey)` per distinct 32-byte key. */
export function publicKeyCache<V>(
  make: (publicKey: Uint8Array) => V,
  maxEntries = DEFAULT_KEY_CACHE_ENTRIES,
): (publicKey: Uint8Array) => V {
  const lru = createLru<V>(maxEntries)
  return (publicKey) => {
    const id = toBase64(publicKey)
    let value = lru.get(id)
    if (value === undefined) {
      value = make(publicKey)
      lru.set(id, value)
    }
    return value
  }
}

/** Caches `make(seed)` per seed array (identity), invalidated if its contents change. */
export function seedCache<V>(make: (seed: Uint8Array) => V): (seed: Uint8Array) => V {
  const cache = new WeakMap<Uint8Array, { copy: Uint8Array; value: V }>()
  return (seed) => {
    const hit = cache.get(seed)
    if (hit !== undefined && constantTimeEqual(hit.copy, seed)) return hit.value
    const value = make(seed)
    cache.set(seed, { copy: Uint8Array.from(seed), value })
    return value
  }
}
