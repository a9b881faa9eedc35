/**
 * Trust-on-first-use keyring: the first public key verified for a name, and for a NaraID, is
 * pinned, and a different key for a pinned label is a conflict, never silently adopted
 * (WIRE.md §12.5, §12.8 describe what Go does instead).
 */

/** A base64 Ed25519 public key: 44 characters ending in `=`, 32 bytes. */
const KEY_B64 = /^[A-Za-z0-9+/]{43}=$/

/** What {@link Keyring.pin} did. */
export type PinResult =
  /** At least one label was new and is now pinned; the others (if any) already matched. */
  | { readonly status: 'pinned' }
  /** Every label was already pinned to this key. */
  | { readonly status: 'known' }
  /** A label is pinned to a different key. Nothing changed. */
  | {
      readonly status: 'conflict'
      readonly label: 'name' | 'naraId'
      /** The pinned key (base64), for the key-conflict event. */
      readonly pinnedKey: string
    }
  /** The keyring is full (`maxPins`); nothing changed. */
  | { readonly status: 'full' }

/** What to pin: a name and/or a NaraID, and the public key they speak with. */
export interface PinRequest {
  name?: string | undefined
  naraId?: string | undefined
  /** 32 raw bytes or base64. */
  publicKey: Uint8Array | string
}

/** JSON form: one object mapping names and NaraIDs to base64 public keys (sorted). */
export type KeyringJson = Record<string, string>

/** Options of {@link createKeyring}. */
export interface KeyringOptions {
  /** Initial pins (e.g. read from disk). */
  json?: KeyringJson
  /** Most labels kept; new pins beyond it are refused (`full`). Default 100 000. */
  maxPins?: number
}

/**
 * Name and NaraID → public key, pinned on first use. Names and NaraIDs share one label space
 * (an ID is an opaque base58 label, so the two do not clash in practice), which makes the
 * JSON form the same flat map `nara verify --keyring` reads.
 */
export interface Keyring {
  /** Raw 32-byte key pinned for `name`. */
  byName(name: string): Uint8Array | undefined
  /** Raw 32-byte key pinned for a NaraID. */
  byId(id: string): Uint8Array | undefined
  /** Base64 key pinned for a name or NaraID. */
  lookup(label: string): string | undefined
  /** Would `pin` succeed? Same result as `pin`, without changing anything. */
  check(request: PinRequest): PinResult
  /** Pins every new label of `request` to its key, unless any label conflicts (then nothing). */
  pin(request: PinRequest): PinResult
  /** Forgets a label (an operator's decision, e.g. after a key rotation). */
  unpin(label: string): boolean
  /** Number of pinned labels. */
  readonly size: number
  /** The flat JSON map, sorted by label. */
  toJSON(): KeyringJson
  /** Adds pins from JSON; existing pins win. Throws TypeError on a malformed key. */
  fromJSON(json: KeyringJson): void
  /** Called after every change (for persistence). Returns an unsubscribe function. */
  onChange(listener: () => void): () => void
}

/** Decodes and checks a base64 public key. */
export function decodePublicKey(key: string): Uint8Array | undefined {
  if (!KEY_B64.test(key)) return undefined
  const bytes = Buffer.from(key, 'base64')
  return bytes.length === 32 ? new Uint8Array(bytes) : undefined
}

function toBase64(key: Uint8Array | string): string {
  if (typeof key === 'string') {
    if (decodePublicKey(key) === undefined)
      throw new TypeError('public key must be base64 of 32 bytes')
    return key
  }
  if (!(key instanceof Uint8Array) || key.length !== 32) {
    throw new TypeError('public key must be 32 bytes')
  }
  return Buffer.from(key).toString('base64')
}

export function createKeyring(options: KeyringOptions = {}): Keyring {
  const maxPins = options.maxPins ?? 100_000
  const labels = new Map<string, { b64: string; raw: Uint8Array }>()
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

  const check = (request: PinRequest): PinResult => {
    const b64 = toBase64(request.publicKey)
    let fresh = 0
    for (const [label, value] of [
      ['name', request.name],
      ['naraId', request.naraId],
    ] as const) {
      if (value === undefined || value === '') continue
      const pinned = labels.get(value)
      if (pinned === undefined) fresh += 1
      else if (pinned.b64 !== b64) return { status: 'conflict', label, pinnedKey: pinned.b64 }
    }
    if (fresh === 0) return { status: 'known' }
    if (labels.size + fresh > maxPins) return { status: 'full' }
    return { status: 'pinned' }
  }

  const keyring: Keyring = {
    byName: (name) => labels.get(name)?.raw,
    byId: (id) => labels.get(id)?.raw,
    lookup: (label) => labels.get(label)?.b64,
    check,
    pin(request) {
      const result = check(request)
      if (result.status !== 'pinned') return result
      const b64 = toBase64(request.publicKey)
      const raw = decodePublicKey(b64) as Uint8Array
      for (const value of [request.name, request.naraId]) {
        if (value !== undefined && value !== '' && !labels.has(value))
          labels.set(value, { b64, raw })
      }
      changed()
      return result
    },
    unpin(label) {
      const removed = labels.delete(label)
      if (removed) changed()
      return removed
    },
    get size() {
      return labels.size
    },
    toJSON() {
      const out: KeyringJson = {}
      for (const label of [...labels.keys()].sort())
        out[label] = (labels.get(label) as { b64: string }).b64
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
        if (typeof key !== 'string' || decodePublicKey(key) === undefined) {
          throw new TypeError(
            `keyring JSON: entry ${JSON.stringify(label)} is not a base64 32-byte key`,
          )
        }
      }
      let added = false
      for (const [label, key] of entries) {
        if (labels.has(label) || labels.size >= maxPins) continue
        labels.set(label, { b64: key, raw: decodePublicKey(key) as Uint8Array })
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
