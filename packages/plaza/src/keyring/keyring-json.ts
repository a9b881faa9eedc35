/**
 * The keyring's persistence form: one flat object mapping names and NaraIDs to base64 keys,
 * sorted by label — the shape `nara verify --keyring` reads. Labels shaped like a NaraID
 * (base58, 43–44 characters) are IDs, every other label is a name. Only durable pins, and only
 * NaraIDs a signed claim bound (never a disputed one), are in it.
 */
import { decodePublicKey, KEY_B64, looksLikeNaraId } from './key-text.js'
import type { PinStore } from './pin-store.js'
import type { KeyringJson, PinRequest } from './types.js'

/** The durable pins of `store` as sorted JSON. */
export function keyringToJson(store: PinStore): KeyringJson {
  const pairs: Array<[string, string]> = []
  for (const [name, e] of store.names) if (e.durable) pairs.push([name, e.b64])
  for (const [id, e] of store.ids) {
    // Only signed bindings: reloaded, a pin counts as the operator's (signed) word.
    if (e.durable && e.idSigned && !store.disputed.has(id)) pairs.push([id, e.b64])
  }
  pairs.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  const out: KeyringJson = {}
  for (const [label, b64] of pairs) out[label] = b64
  return out
}

/**
 * The pin requests of a JSON keyring, in order; small-order and non-canonical keys and empty
 * labels are skipped.
 * @throws TypeError when `json` is not an object of base64 32-byte key texts (nothing is read)
 */
export function pinRequestsOf(json: KeyringJson): PinRequest[] {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError('keyring JSON must be an object mapping names and NaraIDs to base64 keys')
  }
  const entries = Object.entries(json)
  for (const [label, key] of entries) {
    if (typeof key !== 'string' || !KEY_B64.test(key)) {
      throw new TypeError(
        `keyring JSON: entry ${JSON.stringify(label)} is not a base64 32-byte key`,
      )
    }
  }
  const requests: PinRequest[] = []
  for (const [label, key] of entries) {
    if (decodePublicKey(key) === undefined || label === '') continue
    requests.push(
      looksLikeNaraId(label) ? { naraId: label, publicKey: key } : { name: label, publicKey: key },
    )
  }
  return requests
}
