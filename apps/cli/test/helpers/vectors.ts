/**
 * Reading the shared vector file (as-is) for the CLI tests: every message vector with its topic,
 * payload and expected verdict, and the keyring a receiver in that vector's story holds.
 */

import { STRICTER_THAN_GO as CRYPTO_STRICTER_THAN_GO } from '@nara/crypto'

export interface MessageVector {
  kind: string
  name: string
  expect: 'accept' | 'reject'
  /** MQTT topic; null for gossip-only SyncEvents (ping, observation, seen). */
  topic: string | null
  payloadBase64: string
}

interface Identity {
  name: string
  label: string
  nara_id: string
  public_key_base64: string
}

// biome-ignore lint/suspicious/noExplicitAny: the vector file is read as-is
type VectorFile = Record<string, any>

export function allMessageVectors(file: VectorFile): MessageVector[] {
  const out: MessageVector[] = []
  for (const [kind, section] of Object.entries(file)) {
    if (kind === 'meta' || kind === 'identity') continue
    for (const v of section.vectors as VectorFile[]) {
      out.push({
        kind,
        name: v.name,
        expect: v.expect,
        topic: v.transport?.topic ?? null,
        payloadBase64: v.payload_base64,
      })
    }
  }
  return out
}

function identities(file: VectorFile): Identity[] {
  return file.identity.identities as Identity[]
}

/** name -> key and NaraID -> key for the given identity labels (all when omitted). */
export function keyringOf(file: VectorFile, labels?: string[]): Record<string, string> {
  const keyring: Record<string, string> = {}
  for (const id of identities(file)) {
    if (labels && !labels.includes(id.label)) continue
    keyring[id.name] = id.public_key_base64
    keyring[id.nara_id] = id.public_key_base64
  }
  return keyring
}

/**
 * The receiver's keyring in each vector's story. By default it knows every identity of the
 * file; some vectors are about a receiver that knows fewer keys (their description says so).
 */
export function keyringFor(file: VectorFile, vector: MessageVector): Record<string, string> {
  const all = identities(file).map((i) => i.label)
  switch (vector.name) {
    case 'proposal_round1__unknown_subject_key':
      return keyringOf(
        file,
        all.filter((l) => l !== 'alice'),
      )
    case 'final_checkpoint__receiver_knows_one_key':
      return keyringOf(file, ['bob'])
    case 'final_checkpoint__receiver_knows_two_keys':
      return keyringOf(file, ['bob', 'carol'])
    default:
      return keyringOf(file)
  }
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
