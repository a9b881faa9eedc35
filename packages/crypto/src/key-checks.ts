/**
 * Keyring consistency checks shared by the message verifiers: embedded keys against pinned
 * keys, and name↔NaraID pairs against the keyring's pinning.
 */
import { constantTimeEqual } from './bytes.js'
import type { Keyring } from './keyring.js'
import { parsePublicKeyBase64 } from './keys.js'
import { reject, type Verdict } from './verdict.js'

/**
 * Checks a name/NaraID pair carried in a message (`actor`/`actor_id`, `ID` of hey_there...)
 * against the keyring. Returns a reject verdict on contradiction, else `null`.
 */
export function checkNameIdPair(
  keyring: Keyring,
  name: string | undefined,
  id: string | undefined,
  field: string,
  from?: string,
): Verdict | null {
  if (!name || !id) return null
  const pinnedId = keyring.idForName?.(name)
  if (pinnedId !== undefined && pinnedId !== id) {
    return reject('id-mismatch', `${field} is not the NaraID pinned for "${name}"`, from)
  }
  const pinnedName = keyring.nameForId?.(id)
  if (pinnedName !== undefined && pinnedName !== name) {
    return reject('id-mismatch', `${field} is pinned to another name than "${name}"`, from)
  }
  return null
}

/** Checks that `key` agrees with the keyring's keys for `name` and `id` (when known). */
export function checkKeyAgrees(
  keyring: Keyring,
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

/**
 * Resolves the key of a sender that may embed its own key (hey_there, chau, howdy, newspaper).
 * An embedded key must agree with the keyring when the keyring knows the name or ID; with no
 * pinned key it is accepted as first use, unless `requireKnownSender`.
 */
export function resolveEmbeddedKey(
  keyring: Keyring,
  name: string,
  id: string | undefined,
  embedded: string | undefined,
  requireKnownSender: boolean,
): KeyResolution {
  const pinned = keyring.byName(name) ?? (id ? keyring.byId(id) : undefined)
  if (embedded) {
    const key = parsePublicKeyBase64(embedded)
    if (key === null) {
      return {
        ok: false,
        verdict: reject('malformed', 'embedded public key is not base64 of 32 bytes', name),
      }
    }
    const conflict = checkKeyAgrees(keyring, key, name, id, 'embedded public key', name)
    if (conflict) return { ok: false, verdict: conflict }
    if (pinned === undefined && requireKnownSender) {
      return {
        ok: false,
        verdict: reject('self-certified', 'only the message itself vouches for this key', name),
      }
    }
    return { ok: true, key }
  }
  if (pinned === undefined) {
    return { ok: false, verdict: reject('unknown-sender', `no key known for "${name}"`, name) }
  }
  return { ok: true, key: pinned }
}

/**
 * Resolves the key of a sender identified by name (and optionally NaraID) only: social and
 * gossip events (`emitter`, `emitter_id`).
 */
export function resolvePinnedKey(
  keyring: Keyring,
  name: string,
  id: string | undefined,
): KeyResolution {
  const byName = keyring.byName(name)
  const byId = id ? keyring.byId(id) : undefined
  if (byName !== undefined && byId !== undefined && !constantTimeEqual(byName, byId)) {
    return {
      ok: false,
      verdict: reject('key-conflict', 'emitter and emitter_id are pinned to different keys', name),
    }
  }
  const key = byId ?? byName
  if (key === undefined) {
    return { ok: false, verdict: reject('unknown-sender', `no key known for "${name}"`, name) }
  }
  return { ok: true, key }
}
