/**
 * The shared vector file (from `@nara/vitest-config/vectors`, read as-is) in the CLI's terms:
 * every message vector with its topic, payload and expected verdict, and the keyring file a
 * receiver in that vector's story holds.
 */

import { STRICTER_THAN_GO as CRYPTO_STRICTER_THAN_GO } from '@nara/crypto'
import {
  messageVectors,
  receiverIdentities,
  type VectorIdentity,
  vectorIdentities,
} from '@nara/vitest-config/vectors'

export interface MessageVector {
  kind: string
  name: string
  expect: 'accept' | 'reject'
  /** MQTT topic; null for gossip-only SyncEvents (ping, observation, seen). */
  topic: string | null
  payloadBase64: string
}

export function allMessageVectors(): MessageVector[] {
  return messageVectors().map((v) => ({
    kind: v.kind,
    name: v.name,
    expect: v.expect,
    topic: v.transport.topic,
    payloadBase64: v.payload_base64,
  }))
}

/** A `--keyring` file's content: name -> key and NaraID -> key for each identity given. */
function keyringFile(ids: readonly VectorIdentity[]): Record<string, string> {
  const keyring: Record<string, string> = {}
  for (const id of ids) {
    keyring[id.name] = id.public_key_base64
    keyring[id.nara_id] = id.public_key_base64
  }
  return keyring
}

/** name -> key and NaraID -> key for the given identity names (all when omitted). */
export function keyringOf(names?: readonly string[]): Record<string, string> {
  const all = vectorIdentities()
  return keyringFile(names ? all.filter((i) => names.includes(i.name)) : all)
}

/**
 * The receiver's keyring in each vector's story. By default it knows every identity of the
 * file; some vectors are about a receiver that knows fewer keys (their description says so).
 */
export function keyringFor(vector: MessageVector): Record<string, string> {
  return keyringFile(receiverIdentities(vector.kind, vector.name))
}

/**
 * Vectors Go accepts although they are forged, self-certified or contradict what the receiver
 * has pinned; @nara/crypto rejects them with this reason (its exported `STRICTER_THAN_GO`
 * table). Every other vector keeps Go's verdict.
 */
export const STRICTER_THAN_GO: Readonly<Record<string, string>> = Object.fromEntries(
  Object.entries(CRYPTO_STRICTER_THAN_GO).map(([key, { reason }]) => [key, reason]),
)

export function stricterVerdict(
  vector: MessageVector,
): { verdict: 'accept' | 'reject'; reason?: string } | undefined {
  const reason = STRICTER_THAN_GO[`${vector.kind}/${vector.name}`]
  return reason === undefined ? undefined : { verdict: 'reject', reason }
}
