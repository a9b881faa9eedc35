/**
 * Loads `shared/vectors/plaza-vectors.json` as-is (never copied or edited) from beside the
 * monorepo clone, and builds the keyrings the vector tests use.
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  createKeyring,
  fromHex,
  type Keyring,
  parsePublicKeyBase64OrThrow,
} from '../../src/index.js'

const here = path.dirname(fileURLToPath(import.meta.url))
/** The monorepo root (`packages/crypto/test/helpers` → four levels up). */
export const repoRoot = path.resolve(here, '..', '..', '..', '..')
export const vectorsPath = path.resolve(repoRoot, '..', 'shared', 'vectors', 'plaza-vectors.json')

export interface VectorIdentity {
  label: string
  name: string
  seed_hex: string
  tag_hex: string
  soul_bytes_hex: string
  soul: string
  bond_valid: boolean
  public_key_base64: string
  public_key_hex: string
  nara_id: string
}

export interface MessageVector {
  name: string
  description: string
  expect: 'accept' | 'reject'
  derived_from?: string
  inputs?: Record<string, unknown> & { clock_unix_nano?: string }
  ts_decimal?: string
  event_id?: string
  id_preimage?: string
  content_string?: string
  signing?: {
    signer: string
    public_key_base64: string
    preimage?: string
    signed_bytes_hex?: string
    signed_message_utf8?: string
    signed_bytes_utf8?: string
    signed_bytes_base64?: string
    signature_base64: string
  } | null
  transport: { topic: string | null; qos: number; retained: boolean }
  payload_utf8: string
  upstream_verify: {
    function: string
    result: boolean
    known_keys?: number
    valid_signatures?: number
  }
  signatures?: Array<{
    voter: string
    voter_id: string
    signed_message_utf8: string
    signature_base64: string
  }>
  clock_unix_nano?: string
}

export interface LegacyInnerVector {
  name: string
  expect: 'accept' | 'reject'
  signed_message_utf8: string
  signature_base64: string
  payload_utf8: string
}

export interface Vectors {
  identity: {
    identities: VectorIdentity[]
    bond_checks: Array<{
      description: string
      soul: string
      name: string
      bond_valid: boolean
      parse_error?: string
      nara_id_if_computed_anyway?: string
    }>
    generated_names: Array<{ input: string; name: string }>
    determine_identity: Array<{
      description: string
      args: { name: string; soul: string; hostname: string; hardware_fragments: string }
      hardware_fingerprint_hex: string
      result_name: string
      result_soul: string
      result_nara_id: string
      is_valid_bond: boolean
      is_native: boolean
      public_key_base64?: string
    }>
  }
  hey_there: { vectors: MessageVector[]; legacy_inner_signature: LegacyInnerVector[] }
  chau: { vectors: MessageVector[]; legacy_inner_signature: LegacyInnerVector[] }
  checkpoint_final: {
    vectors: MessageVector[]
    previous_checkpoint: { event_id: string; id_preimage: string; payload_utf8: string }
  }
  [kind: string]: unknown
}

export const vectors: Vectors = JSON.parse(readFileSync(vectorsPath, 'utf8'))

/** Message kinds in file order. */
export const MESSAGE_KINDS = [
  'hey_there',
  'chau',
  'social',
  'ping',
  'observation',
  'seen',
  'howdy',
  'newspaper',
  'checkpoint_proposal',
  'checkpoint_vote',
  'checkpoint_final',
] as const
export type MessageKind = (typeof MESSAGE_KINDS)[number]

export function messageVectors(kind: MessageKind): MessageVector[] {
  return (vectors[kind] as { vectors: MessageVector[] }).vectors
}

export const identities = vectors.identity.identities

export function identity(name: string): VectorIdentity {
  const found = identities.find((i) => i.name === name)
  if (!found) throw new Error(`no vector identity ${name}`)
  return found
}

export function seedOf(name: string): Uint8Array {
  return fromHex(identity(name).seed_hex)
}

/** A keyring of the given vector identities (name → key, NaraID → key, name ↔ NaraID). */
export function keyringOf(names: readonly string[] = identities.map((i) => i.name)): Keyring {
  return createKeyring(
    names.map((n) => {
      const i = identity(n)
      return {
        name: i.name,
        id: i.nara_id,
        publicKey: parsePublicKeyBase64OrThrow(i.public_key_base64),
      }
    }),
  )
}

/**
 * Vectors whose semantics need a reduced keyring (the receiver knows fewer keys), taken from
 * their descriptions and `upstream_verify.known_keys`.
 */
export const REDUCED_KEYRINGS: Readonly<Record<string, readonly string[]>> = {
  // "checked by a nara that does not know alice's key"
  'checkpoint_proposal/proposal_round1__unknown_subject_key': identities
    .map((i) => i.name)
    .filter((n) => n !== 'alice'),
  // "only knows bob's key" (known_keys 1)
  'checkpoint_final/final_checkpoint__receiver_knows_one_key': ['bob'],
  // "only knows bob's and carol's keys" (known_keys 2)
  'checkpoint_final/final_checkpoint__receiver_knows_two_keys': ['bob', 'carol'],
}

export function keyringFor(kind: string, vectorName: string): Keyring {
  return keyringOf(REDUCED_KEYRINGS[`${kind}/${vectorName}`])
}

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
