/**
 * Trust-on-first-use keyring (WIRE.md §12.5, §12.8 describe what Go does instead). It is keyed
 * by PUBLIC KEY: each key speaks for at most one name and at most one NaraID, each name and
 * each NaraID belongs to at most one key, and a different key for a pinned label is a conflict,
 * never silently adopted.
 *
 * Names and NaraIDs live in separate maps. A NaraID is an opaque label that only its owner can
 * compute (WIRE §3.5), so an ID is bound to a key only as "the key that owns pinned name N claimed
 * ID I" ({@link Keyring.claimId}), once per key. Most messages carry the ID unsigned; two keys
 * claiming one ID unsigned make it DISPUTED (lookups by that ID return nothing). An attestation
 * SIGNS its ID: a signed claim wins over unsigned ones, and unsigned claims never dispute it.
 * Names never look like a NaraID and never contain `:`.
 *
 * Two tiers: pins made by the plaza on first use are PROVISIONAL (not persisted); a verified
 * message from the same key CONFIRMS one, and one at least `promoteAfterMs` later makes it
 * DURABLE ({@link Keyring.confirm}). When the keyring is full, the oldest never-confirmed
 * provisional pins are evicted to make room; confirmed and durable pins never are (when nothing
 * is evictable a new pin is `full`). Explicit {@link Keyring.pin} calls (operator, JSON) are
 * durable.
 *
 * Below both, a separate TOPIC-ONLY (weak) tier for names that only a newspaper's topic vouches
 * for ({@link Keyring.pinTopic}): the key signed the Status, no signature covers the name. A weak
 * pin is made only when neither the name nor the key is pinned (in any tier), is never persisted,
 * never binds a NaraID, and is invisible to `byName`/`lookup`/`check` (so verification and signed
 * claims never see it). A signed-name claim ({@link Keyring.pin}) replaces it: same name and key
 * makes it a normal pin; another key for the name, or another name for the key, supersedes it
 * (reported in the result). Two topic-only claims that disagree: the first one wins.
 *
 * The parts, under `keyring/`: `pin-store.ts` (keys, names, NaraIDs), `tiers.ts` (provisional
 * and durable, eviction and promotion), `id-claims.ts` (NaraID binding and disputes),
 * `weak-pins.ts` (the topic-only tier), `keyring-json.ts` (persistence), `key-text.ts`.
 */
import { claimId } from './keyring/id-claims.js'
import { toBase64 } from './keyring/key-text.js'
import { keyringToJson, pinRequestsOf } from './keyring/keyring-json.js'
import { PinStore } from './keyring/pin-store.js'
import type { Keyring, KeyringOptions, PinOptions, PinRequest, PinResult } from './keyring/types.js'
import { WeakPins } from './keyring/weak-pins.js'

export { decodePublicKey, looksLikeNaraId } from './keyring/key-text.js'
export type {
  IdClaimResult,
  Keyring,
  KeyringJson,
  KeyringOptions,
  PinOptions,
  PinRequest,
  PinResult,
  TopicPinRequest,
  WeakPin,
} from './keyring/types.js'

export function createKeyring(options: KeyringOptions = {}): Keyring {
  const listeners = new Set<() => void>()
  const changed = (): void => {
    for (const listener of listeners) {
      try {
        listener()
      } catch {
        // a persistence hook must not break verification
      }
    }
  }
  const store = new PinStore(options.maxPins ?? 100_000, options.promoteAfterMs ?? 60_000, changed)
  const weak = new WeakPins(store)
  const { names, ids, disputed } = store

  const pin = (request: PinRequest, pinOptions: PinOptions = {}): PinResult => {
    const result = store.plan(request, toBase64(request.publicKey), false)
    const durable = pinOptions.provisional !== true
    const b64 = toBase64(request.publicKey)
    if (result.status === 'known' && durable) store.makeDurable(b64)
    if (result.status !== 'pinned') return result
    // A signed claim replaces the topic-only pins of its name and of its key.
    const superseded = weak.replace(request.name || undefined, b64)
    store.add(request, b64, durable, pinOptions.nowMs ?? 0)
    return superseded.length === 0 ? result : { status: 'pinned', superseded }
  }

  const keyring: Keyring = {
    byName: (name) => names.get(name)?.raw,
    byId: (id) => (disputed.has(id) ? undefined : ids.get(id)?.raw),
    lookup: (label) =>
      names.get(label)?.b64 ?? (disputed.has(label) ? undefined : ids.get(label)?.b64),
    nameForId: (id) => (disputed.has(id) ? undefined : ids.get(id)?.name),
    idForName: (name) => names.get(name)?.id,
    check: (request) => store.plan(request, toBase64(request.publicKey), true),
    pin,
    weakByName: (name) => weak.byName(name),
    checkTopic: (request) => weak.check(request),
    pinTopic: (request) => weak.pin(request),
    claimId: (publicKey, id, o) => claimId(store, toBase64(publicKey), id, o?.signed === true),
    idSigned: (id) => !disputed.has(id) && ids.get(id)?.idSigned === true,
    confirm: (name, nowMs) => store.confirm(name, nowMs),
    isDisputed: (id) => disputed.has(id),
    isDurable: (name) => names.get(name)?.durable === true,
    unpin(label) {
      const removedWeak = weak.unpin(label)
      const removed = store.unpin(label) || removedWeak
      if (removed) changed()
      return removed
    },
    get size() {
      return store.size
    },
    get weakSize() {
      return weak.size
    },
    toJSON: () => keyringToJson(store),
    fromJSON(json) {
      let added = false
      for (const request of pinRequestsOf(json)) {
        if (store.plan(request, toBase64(request.publicKey), true).status !== 'pinned') continue
        pin(request)
        added = true
      }
      if (added) changed()
    },
    onChange(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
  if (options.json !== undefined) keyring.fromJSON(options.json)
  return keyring
}
