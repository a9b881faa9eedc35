/**
 * KeyLookup consistency checks shared by the message verifiers: embedded keys against pinned
 * keys, and name↔NaraID pairs against the keyring's pinning.
 */
import { constantTimeEqual } from './bytes.js'
import type { KeyLookup } from './key-lookup.js'
import { parsePublicKeyBase64 } from './keys.js'
import { reject, type Verdict } from './verdict.js'

/**
 * Checks a name/NaraID pair carried in a message (`actor`/`actor_id`, `ID` of hey_there...)
 * against the keyring. Returns a reject verdict on contradiction, else `null`.
 *
 * A name whose pinned NaraID differs is always `id-mismatch`. An ID pinned to ANOTHER name is
 * `id-mismatch` only when `idOwnedElsewhere` is `'reject'` (the ID is signed, as in
 * attestations); for an unsigned ID field (`'ignore'`) it is not a reason to reject a message
 * whose signed part is fine: anyone can copy another nara's ID into their own messages, and
 * rejecting would let them silence that nara. The caller then simply does not trust the ID.
 */
export function checkNameIdPair(
  keyring: KeyLookup,
  name: string | undefined,
  id: string | undefined,
  field: string,
  from?: string,
  idOwnedElsewhere: 'reject' | 'ignore' = 'reject',
): Verdict | null {
  if (!name || !id) return null
  const pinnedId = keyring.idForName?.(name)
  if (pinnedId !== undefined && pinnedId !== id) {
    return reject('id-mismatch', `${field} is not the NaraID pinned for "${name}"`, from)
  }
  if (idOwnedElsewhere === 'ignore') return null
  const pinnedName = keyring.nameForId?.(id)
  if (pinnedName !== undefined && pinnedName !== name) {
    return reject('id-mismatch', `${field} is pinned to another name than "${name}"`, from)
  }
  return null
}

/** Whether the keyring binds `id` by a signed claim (see {@link KeyLookup.idSigned}). */
export function isIdSigned(keyring: KeyLookup, id: string): boolean {
  return keyring.idSigned?.(id) ?? true
}

/** The key bound to `id` by a SIGNED claim, or `undefined`. */
export function signedIdKey(keyring: KeyLookup, id: string | undefined): Uint8Array | undefined {
  if (!id) return undefined
  const key = keyring.byId(id)
  return key !== undefined && isIdSigned(keyring, id) ? key : undefined
}

/**
 * Checks a SIGNED name/NaraID pair (an attestation's `attester`/`attester_id`) against the
 * keyring: `id-mismatch` only when a signed claim already bound `name`'s key to another ID. An
 * ID held through unsigned claims (anyone can copy one into a hey_there) never rejects: the
 * signed claim is what binds it afterwards.
 */
export function checkSignedIdPair(
  keyring: KeyLookup,
  name: string | undefined,
  id: string | undefined,
  field: string,
  from?: string,
): Verdict | null {
  if (!name || !id) return null
  const pinnedId = keyring.idForName?.(name)
  if (pinnedId === undefined || pinnedId === id) return null
  // Only an ID this very name holds by a signature counts (a name may have claimed, unsigned, an
  // ID another key then signed: that says nothing about the name).
  const holder = keyring.nameForId?.(pinnedId) ?? name
  if (holder === name && isIdSigned(keyring, pinnedId)) {
    return reject('id-mismatch', `${field} is not the NaraID "${name}" signed before`, from)
  }
  return null
}

/** Checks that `key` agrees with the keyring's keys for `name` and `id` (when known). */
export function checkKeyAgrees(
  keyring: KeyLookup,
  key: Uint8Array,
  name: string | undefined,
  id: string | undefined,
  what: string,
  from?: string,
): Verdict | null {
  const byName = name ? keyring.byName(name) : undefined
  if (byName !== undefined && !constantTimeEqual(byName, key)) {
    return reject('key-conflict', `${what} differs from the key pinned for "${name}"`, from)
  }
  const byId = id ? keyring.byId(id) : undefined
  if (byId !== undefined && !constantTimeEqual(byId, key)) {
    return reject('key-conflict', `${what} differs from the key pinned for that NaraID`, from)
  }
  return null
}

/** The key to verify with, or why there is none. */
export type KeyResolution = { ok: true; key: Uint8Array } | { ok: false; verdict: Verdict }

/** The key to verify with; `firstUse` when only the message vouches for it. */
export type EmbeddedKeyResolution =
  | { ok: true; key: Uint8Array; firstUse: boolean }
  | { ok: false; verdict: Verdict }

/**
 * Resolves the key of a sender that may embed its own key (hey_there, chau, howdy, newspaper).
 * An embedded key must agree with the key pinned for the NAME (the name is what the signature
 * speaks for; the IDs these messages carry are unsigned claims, checked by
 * {@link checkNameIdPair} only); with no pinned key it is accepted as first use, unless
 * `requireKnownSender` (then `self-certified`). The key text goes through the one key decoder
 * (`parsePublicKeyBase64`: strict base64, no small-order or non-canonical keys).
 */
export function resolveEmbeddedKey(
  keyring: KeyLookup,
  name: string,
  _id: string | undefined,
  embedded: string | undefined,
  requireKnownSender: boolean,
): EmbeddedKeyResolution {
  const pinned = keyring.byName(name)
  if (embedded) {
    const key = parsePublicKeyBase64(embedded)
    if (key === null) {
      return {
        ok: false,
        verdict: reject('malformed', 'embedded public key is not a valid Ed25519 key', name),
      }
    }
    const conflict = checkKeyAgrees(keyring, key, name, undefined, 'embedded public key', name)
    if (conflict) return { ok: false, verdict: conflict }
    if (pinned === undefined && requireKnownSender) {
      return {
        ok: false,
        verdict: reject('self-certified', 'only the message itself vouches for this key', name),
      }
    }
    return { ok: true, key, firstUse: pinned === undefined }
  }
  if (pinned === undefined) {
    return { ok: false, verdict: reject('unknown-sender', `no key known for "${name}"`, name) }
  }
  return { ok: true, key: pinned, firstUse: false }
}

/**
 * Resolves the key of a sender identified by name only: social and gossip events (`emitter`).
 * The signature covers `emitter` but not `emitter_id` (WIRE §4.2), so the key must come from the
 * NAME's pin: a key found through `emitter_id` alone would let any key speak under any name
 * (sign as mallory, write `emitter: "erin"` and mallory's ID). `emitter_id` is checked
 * separately against the name's own pinned ID (`checkNameIdPair`).
 */
export function resolvePinnedKey(keyring: KeyLookup, name: string): KeyResolution {
  const key = keyring.byName(name)
  if (key === undefined) {
    return { ok: false, verdict: reject('unknown-sender', `no key known for "${name}"`, name) }
  }
  return { ok: true, key }
}
