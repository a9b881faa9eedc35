/**
 * NaraID claims. A NaraID is an opaque label only its owner can compute (WIRE §3.5). Most
 * messages carry it UNSIGNED (hey_there `ID`, howdy `Me.ID`...), which anyone can copy; an
 * attestation (proposal, vote) SIGNS its `attester_id`. An ID is bound to a key only as "the key
 * that owns pinned name N claimed ID I", and a key holds at most one ID:
 *
 * - unsigned claims: the first binds an ID nobody holds; a second key claiming it makes it
 *   DISPUTED (lookups by it return nothing until a signed claim or an operator settles it). An
 *   unsigned claim never disputes an ID a signed claim bound: it is reported and ignored (`held`).
 * - signed claims bind the ID to the signer's key even when the ID is disputed or held through
 *   unsigned claims (the unsigned holder loses it, and a key's own unsigned ID gives way too).
 *   Two keys that both SIGN one ID dispute it for good (until an operator unpins it): no key can
 *   prove a NaraID, so neither is trusted with it, and lookups by name are unaffected.
 */
import type { PinEntry, PinStore } from './pin-store.js'
import type { IdClaimResult } from './types.js'

/** The key `b64` (owner of a pinned name) claims the NaraID `id`, signed or not. */
export function claimId(store: PinStore, b64: string, id: string, signed: boolean): IdClaimResult {
  const entry = store.keys.get(b64)
  if (entry?.name === undefined) return { status: 'unowned' }
  return signed ? claimSigned(store, entry, id) : claimUnsigned(store, entry, id)
}

function claimUnsigned(store: PinStore, entry: PinEntry, id: string): IdClaimResult {
  const owner = store.ids.get(id)
  if (owner !== undefined && owner !== entry && owner.idSigned) {
    return { status: 'held', pinnedKey: owner.b64 }
  }
  if (store.disputed.has(id)) {
    if (entry.id !== undefined && entry.id !== id) {
      return { status: 'mismatch', pinnedId: entry.id }
    }
    entry.id = id
    return { status: 'disputed', fresh: false }
  }
  if (entry.id === id) return { status: 'known' }
  if (entry.id !== undefined) return { status: 'mismatch', pinnedId: entry.id }
  if (owner !== undefined) {
    // Two keys claim one ID: neither is trusted with it any more.
    dispute(store, id, false)
    entry.id = id
    if (owner.durable) store.changed()
    return { status: 'disputed', fresh: true, pinnedKey: owner.b64 }
  }
  return bind(store, entry, id, false)
}

function claimSigned(store: PinStore, entry: PinEntry, id: string): IdClaimResult {
  if (entry.idSigned && entry.id !== id) return { status: 'mismatch', pinnedId: entry.id ?? '' }
  if (store.signedDisputes.has(id)) return { status: 'disputed', fresh: false }
  const owner = store.ids.get(id)
  if (owner !== undefined && owner !== entry && owner.idSigned) {
    dispute(store, id, true)
    entry.id = id
    entry.idSigned = true
    return { status: 'disputed', fresh: true, pinnedKey: owner.b64 }
  }
  if (entry.idSigned && owner === entry && !store.disputed.has(id)) return { status: 'known' }
  // The key's own unsigned ID, and the ID's unsigned holder, give way to the signature.
  release(store, entry)
  if (owner !== undefined && owner !== entry) release(store, owner)
  store.disputed.delete(id)
  return bind(store, entry, id, true)
}

/** Binds `id` to `entry`'s key (room permitting). */
function bind(store: PinStore, entry: PinEntry, id: string, signed: boolean): IdClaimResult {
  if (!store.makeRoom(1, entry, false)) return { status: 'full' }
  entry.id = id
  entry.idSigned = signed
  store.ids.set(id, entry)
  if (entry.durable) store.changed()
  return { status: 'bound' }
}

/** Forgets the (unsigned) ID an entry holds. */
function release(store: PinStore, entry: PinEntry): void {
  const id = entry.id
  if (id === undefined) return
  if (store.ids.get(id) === entry) store.ids.delete(id)
  entry.id = undefined
  entry.idSigned = false
}

/** Marks `id` disputed (for good when `signed`), forgetting the oldest dispute beyond `maxPins`. */
function dispute(store: PinStore, id: string, signed: boolean): void {
  const disputed = store.disputed
  if (disputed.size >= store.maxPins) {
    const oldest = disputed.values().next().value as string
    disputed.delete(oldest)
    store.signedDisputes.delete(oldest)
  }
  disputed.add(id)
  if (signed) store.signedDisputes.add(id)
}
