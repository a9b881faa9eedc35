/**
 * NaraID claims. A NaraID is an opaque label only its owner can compute (WIRE §3.5) and no
 * signature covers it on the plaza, so an ID is bound to a key only as "the key that owns pinned
 * name N claimed ID I": once, for a key that has no other ID, and for an ID nobody else holds.
 * Two keys claiming one ID make it DISPUTED: lookups by that ID return nothing until an operator
 * unpins it.
 */
import type { PinStore } from './pin-store.js'
import type { IdClaimResult } from './types.js'

/** The key `b64` (owner of a pinned name) claims the NaraID `id`. */
export function claimId(store: PinStore, b64: string, id: string): IdClaimResult {
  const entry = store.keys.get(b64)
  if (entry?.name === undefined) return { status: 'unowned' }
  if (store.disputed.has(id)) {
    if (entry.id !== undefined && entry.id !== id) {
      return { status: 'mismatch', pinnedId: entry.id }
    }
    entry.id = id
    return { status: 'disputed', fresh: false }
  }
  if (entry.id === id) return { status: 'known' }
  if (entry.id !== undefined) return { status: 'mismatch', pinnedId: entry.id }
  const owner = store.ids.get(id)
  if (owner !== undefined) {
    // Two keys claim one ID: neither is trusted with it any more.
    dispute(store, id)
    entry.id = id
    if (owner.durable) store.changed()
    return { status: 'disputed', fresh: true, pinnedKey: owner.b64 }
  }
  if (!store.makeRoom(1, entry, false)) return { status: 'full' }
  entry.id = id
  store.ids.set(id, entry)
  if (entry.durable) store.changed()
  return { status: 'bound' }
}

/** Marks `id` disputed, forgetting the oldest dispute beyond `maxPins`. */
function dispute(store: PinStore, id: string): void {
  const disputed = store.disputed
  if (disputed.size >= store.maxPins) {
    const oldest = disputed.values().next().value as string
    disputed.delete(oldest)
  }
  disputed.add(id)
}
