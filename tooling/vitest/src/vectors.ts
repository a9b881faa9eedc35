/**
 * The golden vectors: `shared/vectors/plaza-vectors.json`, read as-is (never copied or edited)
 * from beside the monorepo clone (CI clones the repo with `shared/` next to it). One loader, one
 * typed shape (`vector-file.ts`, re-exported here) and one table of reduced keyrings for every
 * package's tests and benches.
 *
 * @example
 * ```ts
 * import { identityByName, messageVectors, receiverIdentities } from '@nara/vitest-config/vectors'
 *
 * for (const v of messageVectors()) {
 *   const known = receiverIdentities(v.kind, v.name) // whose keys the receiver holds
 *   // ... verify v.payload_base64 on v.transport.topic, expect v.expect
 * }
 * const alice = identityByName('alice') // seed, soul, public key, NaraID
 * ```
 *
 * A missing vector file throws at first use, naming the path it expected.
 */
import { existsSync, readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  type KindedMessageVector,
  MESSAGE_KINDS,
  type MessageKind,
  type MessageVector,
  type PlazaVectors,
  type VectorIdentity,
} from './vector-file.js'

export * from './vector-file.js'

/** The monorepo root (`tooling/vitest/src` → three levels up). `shared/` sits beside it. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
/** Where the vector file must be: `<repo>/../shared/vectors/plaza-vectors.json`. */
export const vectorsPath = path.resolve(repoRoot, '..', 'shared', 'vectors', 'plaza-vectors.json')

/**
 * Reads and checks a vector file (uncached; tests use {@link loadPlazaVectors}). Throws naming
 * the path when the file is missing or a message section is absent or unknown.
 */
export function readPlazaVectors(filePath: string = vectorsPath): PlazaVectors {
  if (!existsSync(filePath)) {
    throw new Error(
      `golden vector file not found at ${filePath}: shared/ must sit beside the repo clone (${repoRoot})`,
    )
  }
  const file = JSON.parse(readFileSync(filePath, 'utf8')) as Record<string, unknown>
  for (const kind of MESSAGE_KINDS) {
    const section = file[kind] as { vectors?: unknown } | undefined
    if (!Array.isArray(section?.vectors)) {
      throw new Error(`${filePath}: section ${kind} has no vectors array`)
    }
  }
  const unknown = Object.keys(file).filter(
    (k) => k !== 'meta' && k !== 'identity' && !(MESSAGE_KINDS as readonly string[]).includes(k),
  )
  if (unknown.length > 0) {
    throw new Error(
      `${filePath}: unknown sections ${unknown.join(', ')} (add them to MESSAGE_KINDS)`,
    )
  }
  return file as PlazaVectors
}

let cached: PlazaVectors | undefined

/** The vector file, parsed once per process. Throws naming the expected path when it is missing. */
export function loadPlazaVectors(): PlazaVectors {
  cached ??= readPlazaVectors()
  return cached
}

/** Every message vector of the file (or of one kind), in file order, each with its kind. */
export function messageVectors(kind?: MessageKind): KindedMessageVector[] {
  const file = loadPlazaVectors()
  const kinds = kind === undefined ? MESSAGE_KINDS : [kind]
  return kinds.flatMap((k) => file[k].vectors.map((v) => ({ kind: k, ...v })))
}

/** The message vector `kind/name`; throws when the file has none. */
export function messageVector(kind: MessageKind, name: string): KindedMessageVector {
  const found = loadPlazaVectors()[kind].vectors.find((v) => v.name === name)
  if (!found) throw new Error(`no vector ${kind}/${name} in ${vectorsPath}`)
  return { kind, ...found }
}

/** A vector's payload bytes (decoded from `payload_base64`). */
export function payloadBytes(v: Pick<MessageVector, 'payload_base64'>): Uint8Array {
  return new Uint8Array(Buffer.from(v.payload_base64, 'base64'))
}

/** Every identity of the file, in file order. */
export function vectorIdentities(): VectorIdentity[] {
  return loadPlazaVectors().identity.identities
}

/** The identity called `name` (e.g. `alice`, `nara`); throws when the file has none. */
export function identityByName(name: string): VectorIdentity {
  const found = vectorIdentities().find((i) => i.name === name)
  if (!found) throw new Error(`no vector identity ${name}`)
  return found
}

/** Which identities a receiver knows: all of the file but some, or only some. */
export type KnownKeys = { allBut: readonly string[] } | { only: readonly string[] }

/**
 * Vectors whose story has a receiver that knows fewer keys than the file's identities (taken from
 * their descriptions and `upstream_verify.known_keys`), keyed `kind/name`, by identity name.
 * Every other vector's receiver knows every identity.
 */
export const REDUCED_KEYRINGS: Readonly<Record<string, KnownKeys>> = {
  // "checked by a nara that does not know alice's key"
  'checkpoint_proposal/proposal_round1__unknown_subject_key': { allBut: ['alice'] },
  // "only knows bob's key" (known_keys 1)
  'checkpoint_final/final_checkpoint__receiver_knows_one_key': { only: ['bob'] },
  // "only knows bob's and carol's keys" (known_keys 2)
  'checkpoint_final/final_checkpoint__receiver_knows_two_keys': { only: ['bob', 'carol'] },
}

/**
 * The identities whose keys the receiver of vector `kind/vectorName` holds (their names and
 * NaraIDs are what it can resolve): every identity, unless {@link REDUCED_KEYRINGS} says fewer.
 */
export function receiverIdentities(kind: string, vectorName: string): VectorIdentity[] {
  const known = REDUCED_KEYRINGS[`${kind}/${vectorName}`]
  if (known === undefined) return vectorIdentities()
  if ('only' in known) return known.only.map(identityByName)
  return vectorIdentities().filter((i) => !known.allBut.includes(i.name))
}
