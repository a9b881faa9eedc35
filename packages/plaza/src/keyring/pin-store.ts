/**
 * The normal (signed-claim) pins, keyed by PUBLIC KEY: each key speaks for at most one name and
 * at most one NaraID, each name and each NaraID belongs to at most one key. Names and NaraIDs
 * live in separate maps. A NaraID two keys claimed is DISPUTED (see `id-claims.ts`): lookups by
 * it return nothing until it is unpinned. Room is made by evicting never-confirmed provisional
 * pins (`tiers.ts`); confirmed and durable pins never are.
 */
import { decodePublicKey, refusedName } from './key-text.js'
import { ProvisionalTier } from './tiers.js'
import type { PinRequest, PinResult } from './types.js'

/** One pinned key and the labels it speaks for. */
export interface PinEntry {
  readonly b64: string
  readonly raw: Uint8Array
  name: string | undefined
  id: string | undefined
  /** The ID was bound by a signed claim (an attestation the key signed, or the operator). */
  idSigned: boolean
  durable: boolean
  readonly pinnedAtMs: number
}

const labelsOf = (e: PinEntry): number =>
  (e.name !== undefined ? 1 : 0) + (e.id !== undefined ? 1 : 0)

/** Keys, names, NaraIDs and disputes; `changed` is called after a durable change. */
export class PinStore {
  readonly keys = new Map<string, PinEntry>()
  readonly names = new Map<string, PinEntry>()
  readonly ids = new Map<string, PinEntry>()
  /** Disputed NaraIDs (bounded by `maxPins`, oldest forgotten first). */
  readonly disputed = new Set<string>()
  /** The disputed NaraIDs that two keys both SIGNED (a later signed claim settles no such dispute). */
  readonly signedDisputes = new Set<string>()
  readonly tier: ProvisionalTier<PinEntry>
  readonly maxPins: number
  readonly changed: () => void

  constructor(maxPins: number, promoteAfterMs: number, changed: () => void) {
    this.maxPins = maxPins
    this.tier = new ProvisionalTier(promoteAfterMs)
    this.changed = changed
  }

  /** Pinned labels (names + NaraIDs). */
  get size(): number {
    return this.names.size + this.ids.size
  }

  /**
   * Frees room for `needed` labels by evicting the oldest never-confirmed provisional entries
   * (not `keep`); false (nothing evicted) when they cannot free enough.
   */
  makeRoom(needed: number, keep: PinEntry | undefined, dryRun: boolean): boolean {
    const victims = this.tier.victims(this.maxPins - this.size, needed, keep, labelsOf)
    if (victims === undefined) return false
    if (!dryRun) for (const e of victims) this.#drop(e)
    return true
  }

  /** What pinning `request` (with the key's base64 `b64`) would do; `dryRun`: change nothing. */
  plan(request: PinRequest, b64: string, dryRun: boolean): PinResult {
    const name = request.name || undefined
    const id = request.naraId || undefined
    if (name !== undefined) {
      const refused = refusedName(name)
      if (refused !== undefined) return refused
    }
    const entry = this.keys.get(b64)
    if (name !== undefined) {
      const pinned = this.names.get(name)
      if (pinned !== undefined && pinned.b64 !== b64) {
        return { status: 'conflict', label: 'name', pinnedKey: pinned.b64 }
      }
      if (entry?.name !== undefined && entry.name !== name) {
        return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
      }
    }
    if (id !== undefined) {
      const pinned = this.ids.get(id)
      if (pinned !== undefined && pinned.b64 !== b64) {
        return { status: 'conflict', label: 'naraId', pinnedKey: pinned.b64 }
      }
      if (this.disputed.has(id)) return { status: 'conflict', label: 'naraId', pinnedKey: b64 }
      if (entry?.id !== undefined && entry.id !== id) {
        return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
      }
    }
    const fresh =
      (name !== undefined && entry?.name === undefined ? 1 : 0) +
      (id !== undefined && entry?.id === undefined ? 1 : 0)
    if (fresh === 0) return { status: 'known' }
    if (!this.makeRoom(fresh, entry, dryRun)) return { status: 'full' }
    return { status: 'pinned' }
  }

  /** Pins the labels of a request `plan` found `pinned` (room already made). */
  add(request: PinRequest, b64: string, durable: boolean, nowMs: number): void {
    let entry = this.keys.get(b64)
    if (entry === undefined) {
      const raw = decodePublicKey(b64) as Uint8Array
      entry = {
        b64,
        raw,
        name: undefined,
        id: undefined,
        idSigned: false,
        durable,
        pinnedAtMs: nowMs,
      }
      this.keys.set(b64, entry)
      if (!durable) this.tier.add(entry)
    } else if (durable) {
      this.tier.promote(entry)
    }
    if (request.name) {
      entry.name = request.name
      this.names.set(request.name, entry)
    }
    if (request.naraId) {
      // An explicit pin (operator, keyring.json) vouches for the ID as a signature would.
      entry.id = request.naraId
      entry.idSigned = true
      this.ids.set(request.naraId, entry)
    }
    if (entry.durable) this.changed()
  }

  /** A durable pin of labels already pinned (`known`): promotes a provisional entry. */
  makeDurable(b64: string): void {
    const entry = this.keys.get(b64)
    if (entry !== undefined && this.tier.promote(entry)) this.changed()
  }

  /**
   * A verified message from `name`'s key at `nowMs`: confirms a provisional pin (no longer
   * evictable) and promotes it when due.
   */
  confirm(name: string, nowMs: number): void {
    const entry = this.names.get(name)
    if (entry === undefined) return
    this.tier.confirm(entry)
    if (this.tier.due(entry, nowMs) && this.tier.promote(entry)) this.changed()
  }

  /** Forgets a name or a NaraID (and its dispute); true when there was one. */
  unpin(label: string): boolean {
    let removed = this.disputed.delete(label)
    this.signedDisputes.delete(label)
    const byName = this.names.get(label)
    if (byName !== undefined) {
      this.names.delete(label)
      byName.name = undefined
      if (byName.id === undefined) this.#drop(byName)
      removed = true
    }
    const byId = this.ids.get(label)
    if (byId !== undefined) {
      this.ids.delete(label)
      byId.id = undefined
      if (byId.name === undefined) this.#drop(byId)
      removed = true
    }
    // A key that claimed a disputed ID still holds it: the unpinned label frees it too.
    if (!this.ids.has(label))
      for (const e of this.keys.values()) {
        if (e.id === label) {
          e.id = undefined
          e.idSigned = false
        }
      }
    return removed
  }

  #drop(e: PinEntry): void {
    this.keys.delete(e.b64)
    this.tier.delete(e)
    if (e.name !== undefined && this.names.get(e.name) === e) this.names.delete(e.name)
    if (e.id !== undefined && this.ids.get(e.id) === e) this.ids.delete(e.id)
  }
}
