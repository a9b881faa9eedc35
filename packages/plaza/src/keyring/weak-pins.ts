/**
 * The TOPIC-ONLY (weak) tier, below the normal pins: names that only a newspaper's topic vouches
 * for (the key signed the Status, no signature covers the name). A weak pin is made only when
 * neither the name nor the key is pinned in any tier, is never persisted, never binds a NaraID,
 * and is invisible to the normal lookups (so verification and signed claims never see it). A
 * signed-name claim replaces it; two topic-only claims that disagree: the first one wins. A weak
 * pin whose key spoke again (a second verified newspaper) is confirmed. Beyond `maxPins` weak
 * pins the oldest never-confirmed one is forgotten; when every one is confirmed, a new one is
 * refused (`full`), so a flood of one-paper names never evicts a name heard twice.
 */
import { decodePublicKey, refusedName, toBase64 } from './key-text.js'
import type { PinStore } from './pin-store.js'
import type { PinResult, TopicPinRequest, WeakPin } from './types.js'

interface WeakEntry {
  readonly name: string
  readonly b64: string
  readonly raw: Uint8Array
}

/** Weak pins by name and by base64 key, oldest first; one name per key. */
export class WeakPins {
  readonly #names = new Map<string, WeakEntry>()
  readonly #keys = new Map<string, WeakEntry>()
  /** Weak pins never confirmed, oldest first (the evictable ones). */
  readonly #fresh = new Set<WeakEntry>()
  readonly #store: PinStore

  constructor(store: PinStore) {
    this.#store = store
  }

  get size(): number {
    return this.#names.size
  }

  /** The raw key a weak pin gives `name`. */
  byName(name: string): Uint8Array | undefined {
    return this.#names.get(name)?.raw
  }

  /** What {@link WeakPins.pin} would do, without changing anything. */
  check(request: TopicPinRequest): PinResult {
    const b64 = toBase64(request.publicKey)
    const name = request.name
    const refused = refusedName(name)
    if (refused !== undefined) return refused
    const pinned = this.#store.names.get(name)
    if (pinned !== undefined) {
      return pinned.b64 === b64
        ? { status: 'known' }
        : { status: 'conflict', label: 'name', pinnedKey: pinned.b64 }
    }
    // The key already speaks (signed) for another name, or holds an ID: one key, one name.
    if (this.#store.keys.has(b64)) return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
    const weak = this.#names.get(name)
    if (weak !== undefined) {
      return weak.b64 === b64
        ? { status: 'known' }
        : { status: 'conflict', label: 'name', pinnedKey: weak.b64 }
    }
    if (this.#keys.has(b64)) return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
    if (this.#names.size >= this.#store.maxPins && this.#fresh.size === 0) return { status: 'full' }
    return { status: 'pinned' }
  }

  /**
   * Pins `{name -> key}` weakly when {@link WeakPins.check} allows it (`known` for that very weak
   * pin confirms it); `full` when no never-confirmed weak pin is left to make room.
   */
  pin(request: TopicPinRequest): PinResult {
    const result = this.check(request)
    if (result.status === 'known') {
      const weak = this.#names.get(request.name)
      if (weak !== undefined) this.#fresh.delete(weak)
    }
    if (result.status !== 'pinned') return result
    if (this.#names.size >= this.#store.maxPins) {
      const oldest = this.#fresh.values().next()
      if (oldest.done === true) return { status: 'full' }
      this.#drop(oldest.value)
    }
    const b64 = toBase64(request.publicKey)
    const entry = { name: request.name, b64, raw: decodePublicKey(b64) as Uint8Array }
    this.#names.set(entry.name, entry)
    this.#keys.set(b64, entry)
    this.#fresh.add(entry)
    return result
  }

  /**
   * A signed claim pinned `name` (if any) to `b64`: the weak pins of that name and of that key
   * give way. Returns the ones that disagreed with the claim (superseded, not upgraded).
   */
  replace(name: string | undefined, b64: string): WeakPin[] {
    const superseded: WeakPin[] = []
    const byName = name === undefined ? undefined : this.#names.get(name)
    const byKey = this.#keys.get(b64)
    for (const w of new Set([byName, byKey])) {
      if (w === undefined) continue
      this.#drop(w)
      if (w.name !== name || w.b64 !== b64) superseded.push({ name: w.name, publicKey: w.b64 })
    }
    return superseded
  }

  /** Forgets the weak pin of a name; true when there was one. */
  unpin(name: string): boolean {
    const weak = this.#names.get(name)
    if (weak === undefined) return false
    this.#drop(weak)
    return true
  }

  #drop(w: WeakEntry): void {
    this.#fresh.delete(w)
    if (this.#names.get(w.name) === w) this.#names.delete(w.name)
    if (this.#keys.get(w.b64) === w) this.#keys.delete(w.b64)
  }
}
