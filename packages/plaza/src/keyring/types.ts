/** The keyring's public types (see `keyring.ts` for the rules). */

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
  /**
   * The keyring holds `maxPins` labels and none may be evicted (every pin is durable, or
   * provisional but confirmed; for `pinTopic`, every weak pin is confirmed); nothing changed.
   */
  | { readonly status: 'full' }
  /**
   * The name has the shape of a NaraID (names and IDs must never be confused), or contains `:`
   * (signed strings join fields with `:`).
   */
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
  /**
   * An unsigned claim of an ID another key holds by a SIGNED claim: ignored (nothing changed);
   * `pinnedKey` is the holder's key.
   */
  | { readonly status: 'held'; readonly pinnedKey: string }
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
   * Most labels (names + NaraIDs) kept. Beyond it the oldest never-confirmed provisional pins
   * are evicted (a pin is confirmed once its key spoke again); when none is left, new pins are
   * refused (`full`). Topic-only pins are bounded by it separately, the same way. Default 100 000.
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
   * The key that owns a pinned name claims a NaraID (see `keyring/id-claims.ts`). Unsigned (the
   * default): binds it when the key has no ID and nobody else holds it, marks it disputed when
   * another key holds it unsigned, and is ignored (`held`) when a signed claim holds it. Signed
   * (`{ signed: true }`, an attestation the key signed): binds it over unsigned holders and
   * disputes; two keys that both sign one ID dispute it for good.
   */
  claimId(publicKey: Uint8Array | string, id: string, options?: { signed?: boolean }): IdClaimResult
  /** Whether a (not disputed) NaraID is bound to its key by a signed claim or the operator. */
  idSigned(id: string): boolean
  /**
   * A verified message from `name`'s key at `nowMs`: confirms a provisional pin (it is no longer
   * evictable) and promotes it when due.
   */
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
   * ID); `refused` for a name shaped like a NaraID. `known` confirms the weak pin. Beyond
   * `maxPins` weak pins the oldest never-confirmed one is forgotten; `full` when none is left.
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
