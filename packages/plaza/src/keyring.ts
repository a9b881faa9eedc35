/**
 * Trust-on-first-use keyring (WIRE.md §12.5, §12.8 describe what Go does instead). It is keyed
 * by PUBLIC KEY: each key speaks for at most one name and at most one NaraID, each name and
 * each NaraID belongs to at most one key, and a different key for a pinned label is a conflict,
 * never silently adopted.
 *
 * Names and NaraIDs live in separate maps. A NaraID is an opaque label that only its owner can
 * compute (WIRE §3.5) and no signature covers it on the plaza, so an ID is bound to a key only as
 * "the key that owns pinned name N claimed ID I" ({@link Keyring.claimId}): once, for a key that
 * has no other ID, and for an ID nobody else holds. Two keys claiming one ID make it DISPUTED:
 * lookups by that ID return nothing until an operator unpins it.
 *
 * Two tiers: pins made by the plaza on first use are PROVISIONAL (evictable, not persisted);
 * they become DURABLE after a verified message from the same key at least `promoteAfterMs`
 * later ({@link Keyring.confirm}). When the keyring is full, the oldest provisional pins are
 * evicted to make room; durable pins never are. Explicit {@link Keyring.pin} calls (operator,
 * JSON) are durable.
 *
 * Below both, a separate TOPIC-ONLY (weak) tier for names that only a newspaper's topic vouches
 * for ({@link Keyring.pinTopic}): the key signed the Status, no signature covers the name. A weak
 * pin is made only when neither the name nor the key is pinned (in any tier), is never persisted,
 * never binds a NaraID, and is invisible to `byName`/`lookup`/`check` (so verification and signed
 * claims never see it). A signed-name claim ({@link Keyring.pin}) replaces it: same name and key
 * makes it a normal pin; another key for the name, or another name for the key, supersedes it
 * (reported in the result). Two topic-only claims that disagree: the first one wins.
 */
import { parsePublicKeyBase64 } from '@nara/crypto'

/** A base64 Ed25519 public key: 44 characters ending in `=`, 32 bytes. */
const KEY_B64 = /^[A-Za-z0-9+/]{43}=$/
/** A NaraID: base58 of a SHA-256, 43 or 44 characters (WIRE §3.5). */
const NARA_ID = /^[1-9A-HJ-NP-Za-km-z]{43,44}$/

/** True for a label shaped like a NaraID (such a text is never accepted as a name). */
export function looksLikeNaraId(label: string): boolean {
  return NARA_ID.test(label)
}

/** A topic-only (weak) pin: a name only a newspaper topic vouches for, and the key that spoke. */
export interface WeakPin {
  readonly name: string
  /** Base64 public key. */
  readonly publicKey: string
}

/** What {@link Keyring.pin} (or {@link Keyring.pinTopic}) did. */
export type PinResult =
  /**
   * At least one label was new and is now pinned; the others (if any) already matched.
   * `superseded`: topic-only pins this signed claim replaced because they disagree with it
   * (same name with another key, or same key with another name). Never set by `pinTopic`.
   */
  | { readonly status: 'pinned'; readonly superseded?: readonly WeakPin[] }
  /** Every label was already pinned to this key. */
  | { readonly status: 'known' }
  /** A label is pinned to a different key, or the key already speaks for another label. */
  | {
      readonly status: 'conflict'
      /**
       * `name`/`naraId`: that label is pinned to another key (or the ID is disputed).
       * `publicKey`: the key already speaks for another name or ID (one name and one ID per key).
       */
      readonly label: 'name' | 'naraId' | 'publicKey'
      /** The pinned key (base64), for the key-conflict event. */
      readonly pinnedKey: string
    }
  /** The keyring is full of durable pins (`maxPins`); nothing changed. */
  | { readonly status: 'full' }
  /** The name has the shape of a NaraID (names and IDs must never be confused). */
  | { readonly status: 'refused'; readonly reason: string }

/** What {@link Keyring.claimId} did. */
export type IdClaimResult =
  /** The ID is now bound to the key. */
  | { readonly status: 'bound' }
  /** The ID was already the key's. */
  | { readonly status: 'known' }
  /**
   * Another key holds (or held) the ID: it is disputed and lookups by it return nothing.
   * `fresh` is true when this claim made it disputed.
   */
  | { readonly status: 'disputed'; readonly fresh: boolean; readonly pinnedKey?: string }
  /** The key already has another ID (one ID per key). */
  | { readonly status: 'mismatch'; readonly pinnedId: string }
  /** The key owns no pinned name, so its ID claim means nothing. */
  | { readonly status: 'unowned' }
  /** No room for the ID. */
  | { readonly status: 'full' }

/** What to pin: a name and/or a NaraID, and the public key they speak with. */
export interface PinRequest {
  name?: string | undefined
  naraId?: string | undefined
  /** 32 raw bytes or base64. */
  publicKey: Uint8Array | string
}

/** A topic-only claim: the newspaper topic's name and the key that signed its Status. */
export interface TopicPinRequest {
  name: string
  /** 32 raw bytes or base64. */
  publicKey: Uint8Array | string
}

/** How to pin (the plaza pins first uses provisionally). */
export interface PinOptions {
  /** Evictable and not persisted until confirmed. Default false (durable). */
  provisional?: boolean
  /** Time of the pin (ms), for promotion. Default 0. */
  nowMs?: number
}

/** JSON form: one object mapping names and NaraIDs to base64 public keys (sorted). */
export type KeyringJson = Record<string, string>

/** Options of {@link createKeyring}. */
export interface KeyringOptions {
  /** Initial pins (e.g. read from disk). */
  json?: KeyringJson
  /**
   * Most labels (names + NaraIDs) kept. Beyond it the oldest provisional pins are evicted;
   * when every pin is durable, new pins are refused (`full`). Default 100 000.
   */
  maxPins?: number
  /**
   * A provisional pin becomes durable when the same key speaks again (verified) at least this
   * long after it was pinned, in ms. Default 60 000.
   */
  promoteAfterMs?: number
}

/**
 * Name and NaraID → public key, pinned on first use. The JSON form is the flat map
 * `nara verify --keyring` reads: labels shaped like a NaraID (base58, 43–44 characters) are IDs,
 * every other label is a name. Only durable pins are in it.
 */
export interface Keyring {
  /** Raw 32-byte key pinned for `name`. */
  byName(name: string): Uint8Array | undefined
  /** Raw 32-byte key bound to a NaraID (undefined when unknown or disputed). */
  byId(id: string): Uint8Array | undefined
  /** Base64 key pinned for a name, else for a (not disputed) NaraID. */
  lookup(label: string): string | undefined
  /** The name whose key holds this NaraID (undefined when unknown or disputed). */
  nameForId(id: string): string | undefined
  /** The NaraID the name's key holds (also when disputed: the name cannot claim another). */
  idForName(name: string): string | undefined
  /** Would `pin` succeed? Same result as `pin`, without changing anything. */
  check(request: PinRequest): PinResult
  /** Pins every new label of `request` to its key, unless any label conflicts (then nothing). */
  pin(request: PinRequest, options?: PinOptions): PinResult
  /**
   * The key that owns a pinned name claims an (unsigned) NaraID. Binds it when the key has no
   * ID and nobody else holds it; marks it disputed when another key holds it.
   */
  claimId(publicKey: Uint8Array | string, id: string): IdClaimResult
  /** A verified message from `name`'s key at `nowMs`: promotes a provisional pin when due. */
  confirm(name: string, nowMs: number): void
  /** Whether a NaraID is disputed. */
  isDisputed(id: string): boolean
  /** Whether `name` is pinned durably. */
  isDurable(name: string): boolean
  /** Forgets a label (an operator's decision, e.g. after a key rotation); also clears a dispute. */
  unpin(label: string): boolean
  /**
   * The key a topic-only (weak) pin gives `name` (see {@link Keyring.pinTopic}); undefined when
   * the name has none (a name pinned normally has none: use `byName`).
   */
  weakByName(name: string): Uint8Array | undefined
  /** Would `pinTopic` succeed? Same result, without changing anything. */
  checkTopic(request: TopicPinRequest): PinResult
  /**
   * A newspaper on `nara/newspaper/{name}` whose Status verified with `publicKey`: pins
   * `{name -> key}` WEAKLY, only when neither the name nor the key is pinned in any tier
   * (`pinned`); `known` when that very weak pin exists; `conflict` (`name`: the name is pinned,
   * weakly or not, to another key; `publicKey`: the key already speaks for another name or an
   * ID); `refused` for a name shaped like a NaraID. Beyond `maxPins` weak pins the oldest is
   * forgotten.
   */
  pinTopic(request: TopicPinRequest): PinResult
  /** Number of pinned labels (names + NaraIDs, provisional and durable; weak pins excluded). */
  readonly size: number
  /** Number of topic-only (weak) pins. */
  readonly weakSize: number
  /** The flat JSON map of durable pins, sorted by label. */
  toJSON(): KeyringJson
  /**
   * Adds durable pins from JSON; existing pins win, and entries that would give a key a second
   * name or ID are skipped. Throws TypeError on a malformed key text; skips small-order and
   * non-canonical keys.
   */
  fromJSON(json: KeyringJson): void
  /** Called after every change of the durable pins (for persistence). Returns an unsubscribe. */
  onChange(listener: () => void): () => void
}

/** Decodes and checks a base64 public key (crypto's one key decoder: no weak keys). */
export function decodePublicKey(key: string): Uint8Array | undefined {
  return parsePublicKeyBase64(key) ?? undefined
}

function toBase64(key: Uint8Array | string): string {
  if (typeof key === 'string') {
    if (decodePublicKey(key) === undefined)
      throw new TypeError('public key must be base64 of a valid 32-byte Ed25519 key')
    return key
  }
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError('public key must be 32 bytes')
  }
  return Buffer.from(key).toString('base64')
}

interface Entry {
  readonly b64: string
  readonly raw: Uint8Array
  name: string | undefined
  id: string | undefined
  durable: boolean
  pinnedAtMs: number
}

interface WeakEntry {
  readonly name: string
  readonly b64: string
  readonly raw: Uint8Array
}

export function createKeyring(options: KeyringOptions = {}): Keyring {
  const maxPins = options.maxPins ?? 100_000
  const promoteAfterMs = options.promoteAfterMs ?? 60_000
  const keys = new Map<string, Entry>()
  const names = new Map<string, Entry>()
  const ids = new Map<string, Entry>()
  /** Provisional entries, oldest first. */
  const provisional = new Set<Entry>()
  /** Disputed NaraIDs (bounded, oldest forgotten first). */
  const disputed = new Set<string>()
  /** Topic-only (weak) pins by name and by base64 key, oldest first; one name per key. */
  const weakNames = new Map<string, WeakEntry>()
  const weakKeys = new Map<string, WeakEntry>()
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
  const labels = (): number => names.size + ids.size
  const labelsOf = (e: Entry): number =>
    (e.name !== undefined ? 1 : 0) + (e.id !== undefined ? 1 : 0)

  const drop = (e: Entry): void => {
    keys.delete(e.b64)
    provisional.delete(e)
    if (e.name !== undefined && names.get(e.name) === e) names.delete(e.name)
    if (e.id !== undefined && ids.get(e.id) === e) ids.delete(e.id)
  }

  /** Frees room for `needed` labels by evicting the oldest provisional entries (not `keep`). */
  const makeRoom = (needed: number, keep: Entry | undefined, dryRun: boolean): boolean => {
    let free = maxPins - labels()
    if (free >= needed) return true
    const victims: Entry[] = []
    for (const e of provisional) {
      if (e === keep) continue
      victims.push(e)
      free += labelsOf(e)
      if (free >= needed) break
    }
    if (free < needed) return false
    if (!dryRun) for (const e of victims) drop(e)
    return true
  }

  const plan = (request: PinRequest, dryRun: boolean): PinResult => {
    const b64 = toBase64(request.publicKey)
    const name = request.name || undefined
    const id = request.naraId || undefined
    if (name !== undefined && looksLikeNaraId(name)) {
      return { status: 'refused', reason: 'a name must not look like a NaraID' }
    }
    const entry = keys.get(b64)
    if (name !== undefined) {
      const pinned = names.get(name)
      if (pinned !== undefined && pinned.b64 !== b64) {
        return { status: 'conflict', label: 'name', pinnedKey: pinned.b64 }
      }
      if (entry?.name !== undefined && entry.name !== name) {
        return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
      }
    }
    if (id !== undefined) {
      const pinned = ids.get(id)
      if (pinned !== undefined && pinned.b64 !== b64) {
        return { status: 'conflict', label: 'naraId', pinnedKey: pinned.b64 }
      }
      if (disputed.has(id)) return { status: 'conflict', label: 'naraId', pinnedKey: b64 }
      if (entry?.id !== undefined && entry.id !== id) {
        return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
      }
    }
    const fresh =
      (name !== undefined && entry?.name === undefined ? 1 : 0) +
      (id !== undefined && entry?.id === undefined ? 1 : 0)
    if (fresh === 0) return { status: 'known' }
    if (!makeRoom(fresh, entry, dryRun)) return { status: 'full' }
    return { status: 'pinned' }
  }

  const dropWeak = (w: WeakEntry): void => {
    if (weakNames.get(w.name) === w) weakNames.delete(w.name)
    if (weakKeys.get(w.b64) === w) weakKeys.delete(w.b64)
  }

  /**
   * A signed claim pinned `name` (if any) to `b64`: the weak pins of that name and of that key
   * give way. Returns the ones that disagreed with the claim (superseded, not upgraded).
   */
  const replaceWeak = (name: string | undefined, b64: string): WeakPin[] => {
    const superseded: WeakPin[] = []
    const byName = name === undefined ? undefined : weakNames.get(name)
    const byKey = weakKeys.get(b64)
    for (const w of new Set([byName, byKey])) {
      if (w === undefined) continue
      dropWeak(w)
      if (w.name !== name || w.b64 !== b64) superseded.push({ name: w.name, publicKey: w.b64 })
    }
    return superseded
  }

  const planTopic = (request: TopicPinRequest): PinResult => {
    const b64 = toBase64(request.publicKey)
    const name = request.name
    if (looksLikeNaraId(name)) {
      return { status: 'refused', reason: 'a name must not look like a NaraID' }
    }
    const pinned = names.get(name)
    if (pinned !== undefined) {
      return pinned.b64 === b64
        ? { status: 'known' }
        : { status: 'conflict', label: 'name', pinnedKey: pinned.b64 }
    }
    // The key already speaks (signed) for another name, or holds an ID: one key, one name.
    if (keys.has(b64)) return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
    const weak = weakNames.get(name)
    if (weak !== undefined) {
      return weak.b64 === b64
        ? { status: 'known' }
        : { status: 'conflict', label: 'name', pinnedKey: weak.b64 }
    }
    if (weakKeys.has(b64)) return { status: 'conflict', label: 'publicKey', pinnedKey: b64 }
    return { status: 'pinned' }
  }

  const keyring: Keyring = {
    byName: (name) => names.get(name)?.raw,
    byId: (id) => (disputed.has(id) ? undefined : ids.get(id)?.raw),
    lookup: (label) =>
      names.get(label)?.b64 ?? (disputed.has(label) ? undefined : ids.get(label)?.b64),
    nameForId: (id) => (disputed.has(id) ? undefined : ids.get(id)?.name),
    idForName: (name) => names.get(name)?.id,
    check: (request) => plan(request, true),
    pin(request, pinOptions = {}) {
      const result = plan(request, false)
      const durable = pinOptions.provisional !== true
      const b64 = toBase64(request.publicKey)
      if (result.status === 'known') {
        const entry = keys.get(b64)
        if (durable && entry !== undefined && !entry.durable) {
          entry.durable = true
          provisional.delete(entry)
          changed()
        }
        return result
      }
      if (result.status !== 'pinned') return result
      const superseded = replaceWeak(request.name || undefined, b64)
      let entry = keys.get(b64)
      if (entry === undefined) {
        entry = {
          b64,
          raw: decodePublicKey(b64) as Uint8Array,
          name: undefined,
          id: undefined,
          durable,
          pinnedAtMs: pinOptions.nowMs ?? 0,
        }
        keys.set(b64, entry)
        if (!durable) provisional.add(entry)
      } else if (durable && !entry.durable) {
        entry.durable = true
        provisional.delete(entry)
      }
      if (request.name) {
        entry.name = request.name
        names.set(request.name, entry)
      }
      if (request.naraId) {
        entry.id = request.naraId
        ids.set(request.naraId, entry)
      }
      if (entry.durable) changed()
      return superseded.length === 0 ? result : { status: 'pinned', superseded }
    },
    weakByName: (name) => weakNames.get(name)?.raw,
    checkTopic: (request) => planTopic(request),
    pinTopic(request) {
      const result = planTopic(request)
      if (result.status !== 'pinned') return result
      if (weakNames.size >= maxPins) {
        const oldest = weakNames.values().next().value as WeakEntry
        dropWeak(oldest)
      }
      const b64 = toBase64(request.publicKey)
      const entry: WeakEntry = {
        name: request.name,
        b64,
        raw: decodePublicKey(b64) as Uint8Array,
      }
      weakNames.set(entry.name, entry)
      weakKeys.set(b64, entry)
      return result
    },
    claimId(publicKey, id) {
      const entry = keys.get(toBase64(publicKey))
      if (entry?.name === undefined) return { status: 'unowned' }
      if (disputed.has(id)) {
        if (entry.id !== undefined && entry.id !== id) {
          return { status: 'mismatch', pinnedId: entry.id }
        }
        entry.id = id
        return { status: 'disputed', fresh: false }
      }
      if (entry.id === id) return { status: 'known' }
      if (entry.id !== undefined) return { status: 'mismatch', pinnedId: entry.id }
      const owner = ids.get(id)
      if (owner !== undefined) {
        // Two keys claim one ID: neither is trusted with it any more.
        if (disputed.size >= maxPins) {
          const oldest = disputed.values().next().value as string
          disputed.delete(oldest)
        }
        disputed.add(id)
        entry.id = id
        if (owner.durable) changed()
        return { status: 'disputed', fresh: true, pinnedKey: owner.b64 }
      }
      if (!makeRoom(1, entry, false)) return { status: 'full' }
      entry.id = id
      ids.set(id, entry)
      if (entry.durable) changed()
      return { status: 'bound' }
    },
    confirm(name, nowMs) {
      const entry = names.get(name)
      if (entry === undefined || entry.durable) return
      if (nowMs - entry.pinnedAtMs < promoteAfterMs) return
      entry.durable = true
      provisional.delete(entry)
      changed()
    },
    isDisputed: (id) => disputed.has(id),
    isDurable: (name) => names.get(name)?.durable === true,
    unpin(label) {
      let removed = disputed.delete(label)
      const weak = weakNames.get(label)
      if (weak !== undefined) {
        dropWeak(weak)
        removed = true
      }
      const byName = names.get(label)
      if (byName !== undefined) {
        names.delete(label)
        byName.name = undefined
        if (byName.id === undefined) drop(byName)
        removed = true
      }
      const byId = ids.get(label)
      if (byId !== undefined) {
        ids.delete(label)
        byId.id = undefined
        if (byId.name === undefined) drop(byId)
        removed = true
      }
      for (const e of keys.values()) if (e.id === label && !ids.has(label)) e.id = undefined
      if (removed) changed()
      return removed
    },
    get size() {
      return labels()
    },
    get weakSize() {
      return weakNames.size
    },
    toJSON() {
      const out: KeyringJson = {}
      const pairs: Array<[string, string]> = []
      for (const [name, e] of names) if (e.durable) pairs.push([name, e.b64])
      for (const [id, e] of ids) if (e.durable && !disputed.has(id)) pairs.push([id, e.b64])
      pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      for (const [label, b64] of pairs) out[label] = b64
      return out
    },
    fromJSON(json) {
      if (typeof json !== 'object' || json === null || Array.isArray(json)) {
        throw new TypeError(
          'keyring JSON must be an object mapping names and NaraIDs to base64 keys',
        )
      }
      const entries = Object.entries(json)
      for (const [label, key] of entries) {
        if (typeof key !== 'string' || !KEY_B64.test(key)) {
          throw new TypeError(
            `keyring JSON: entry ${JSON.stringify(label)} is not a base64 32-byte key`,
          )
        }
      }
      let added = false
      for (const [label, key] of entries) {
        if (decodePublicKey(key) === undefined || label === '') continue
        const request = looksLikeNaraId(label)
          ? { naraId: label, publicKey: key }
          : { name: label, publicKey: key }
        if (plan(request, true).status !== 'pinned') continue
        keyring.pin(request)
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
