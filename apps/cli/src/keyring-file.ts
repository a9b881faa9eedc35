/**
 * The keyring file of `nara verify --keyring`: one JSON object mapping nara names and NaraIDs to
 * base64 Ed25519 public keys. Names and IDs share the map (an ID is an opaque label, so the two
 * cannot clash in practice). The keyring is used for messages that carry no key of their own, and
 * it pins: a key carried in a message that contradicts the keyring is a `key-conflict`.
 *
 * ```json
 * { "alice": "ORHN8e/hGMim8CWamIDrYQ7GURwM4MCDajlccFK8B00=",
 *   "BgfMs1y5Me64HXK8LFsAFZ1JrpKvGogCYjp9X8xumDix": "ORHN8e/hGMim8CWamIDrYQ7GURwM4MCDajlccFK8B00=" }
 * ```
 */
import { InputError } from './errors.js'
import { readJsonFile } from './io-helpers.js'

/** Lookups by name and by NaraID, returning the base64 public key. */
export interface KeyringLookup {
  byName(name: string): string | undefined
  byId(id: string): string | undefined
}

export interface KeyringFile extends KeyringLookup {
  /** Every entry, in file order. */
  entries(): [label: string, publicKeyBase64: string][]
  size: number
}

const KEY_B64 = /^[A-Za-z0-9+/]{43}=$/

/** Builds a keyring from a plain object, checking every key is base64 of 32 bytes. */
export function keyringFromObject(value: unknown, source = 'keyring'): KeyringFile {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InputError(
      `${source} must be a JSON object mapping names and NaraIDs to base64 public keys`,
      'write it as {"alice": "<base64 key>", "<NaraID>": "<base64 key>"}',
    )
  }
  const map = new Map<string, string>()
  const bad: string[] = []
  for (const [label, key] of Object.entries(value)) {
    if (typeof key !== 'string' || !KEY_B64.test(key) || Buffer.from(key, 'base64').length !== 32) {
      bad.push(label)
      continue
    }
    map.set(label, key)
  }
  if (bad.length > 0) {
    throw new InputError(
      `${source}: not a base64 Ed25519 public key (44 characters ending in "="): ${bad.map((b) => JSON.stringify(b)).join(', ')}`,
      'fix or remove those entries',
    )
  }
  return {
    byName: (name) => map.get(name),
    byId: (id) => map.get(id),
    entries: () => [...map.entries()],
    size: map.size,
  }
}

/** An empty keyring: verification then relies on keys carried in the messages. */
export const EMPTY_KEYRING: KeyringFile = keyringFromObject({})

/** Reads a keyring file (see the module comment for the format). */
export async function loadKeyringFile(path: string): Promise<KeyringFile> {
  return keyringFromObject(await readJsonFile(path, 'keyring file'), `keyring file ${path}`)
}
