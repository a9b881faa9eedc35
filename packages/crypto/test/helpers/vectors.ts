/**
 * The golden vectors for crypto's tests: the shared loader (`@nara/vitest-config/vectors`, which
 * reads `shared/vectors/plaza-vectors.json` as-is) plus the helpers that need @nara/crypto
 * (seeds, keyrings).
 */
import {
  identityByName,
  loadPlazaVectors,
  type MessageKind,
  receiverIdentities,
  type VectorIdentity,
  vectorIdentities,
} from '@nara/vitest-config/vectors'
import {
  createKeyLookup,
  fromHex,
  type KeyLookup,
  parsePublicKeyBase64OrThrow,
} from './public-api.js'

export {
  type KindedMessageVector as MessageVector,
  MESSAGE_KINDS,
  type MessageKind,
  messageVectors,
  type VectorIdentity,
} from '@nara/vitest-config/vectors'

export const vectors = loadPlazaVectors()

const identities = vectorIdentities()

export const identity: (name: string) => VectorIdentity = identityByName

export function seedOf(name: string): Uint8Array {
  return fromHex(identity(name).seed_hex)
}

function keyringOfIdentities(ids: readonly VectorIdentity[]): KeyLookup {
  return createKeyLookup(
    ids.map((i) => ({
      name: i.name,
      id: i.nara_id,
      publicKey: parsePublicKeyBase64OrThrow(i.public_key_base64),
    })),
  )
}

/** A keyring of the given vector identities (name → key, NaraID → key, name ↔ NaraID). */
export function keyringOf(names: readonly string[] = identities.map((i) => i.name)): KeyLookup {
  return keyringOfIdentities(names.map(identity))
}

/** The keyring of vector `kind/vectorName`'s receiver (reduced where the vector says so). */
export function keyringFor(kind: MessageKind, vectorName: string): KeyLookup {
  return keyringOfIdentities(receiverIdentities(kind, vectorName))
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
