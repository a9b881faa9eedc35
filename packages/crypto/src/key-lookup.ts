/**
 * The read-only view of known keys that verification consults. Pinning (trust on first use) and
 * persistence live in the caller (the plaza's keyring implements this interface);
 * `createKeyLookup` is a small in-memory implementation for tests, the CLI and simple callers.
 */
import { assertPublicKey } from './bytes.js'

/** Known keys by name and by NaraID. All methods are pure lookups. */
export interface KeyLookup {
  /** The pinned 32-byte key of a name. */
  byName(name: string): Uint8Array | undefined
  /** The pinned 32-byte key of a NaraID. */
  byId(id: string): Uint8Array | undefined
  /** The name a NaraID is pinned to, when known. */
  nameForId?(id: string): string | undefined
  /** The NaraID a name is pinned to, when known. */
  idForName?(name: string): string | undefined
  /**
   * Whether the NaraID is bound to its key by a SIGNED claim (an attestation that key signed, or
   * the operator's keyring), rather than by an unsigned `ID` field anyone can copy. Absent: every
   * binding is (an operator's keyring, as `createKeyLookup` builds).
   */
  idSigned?(id: string): boolean
}

/** One known nara for `createKeyLookup`. */
export interface KeyLookupEntry {
  readonly name?: string
  readonly id?: string
  readonly publicKey: Uint8Array
}

/** An immutable in-memory key lookup. Later entries win on duplicate names/IDs. */
export function createKeyLookup(entries: Iterable<KeyLookupEntry> = []): KeyLookup {
  const byName = new Map<string, Uint8Array>()
  const byId = new Map<string, Uint8Array>()
  const nameById = new Map<string, string>()
  const idByName = new Map<string, string>()
  for (const entry of entries) {
    assertPublicKey(entry.publicKey)
    const key = Uint8Array.from(entry.publicKey)
    if (entry.name) byName.set(entry.name, key)
    if (entry.id) byId.set(entry.id, key)
    if (entry.name && entry.id) {
      nameById.set(entry.id, entry.name)
      idByName.set(entry.name, entry.id)
    }
  }
  return Object.freeze({
    byName: (name: string) => byName.get(name),
    byId: (id: string) => byId.get(id),
    nameForId: (id: string) => nameById.get(id),
    idForName: (name: string) => idByName.get(name),
  })
}

/** A lookup that knows nobody (every embedded key is a first use). */
export const NO_KEYS: KeyLookup = createKeyLookup()
