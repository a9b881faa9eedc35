/**
 * Cheap claimed-sender extraction from raw bytes, for the per-sender rate limit that runs
 * BEFORE any JSON parsing. It is a hint, not an identity: it only decides which token bucket
 * pays for the message. A payload that hides its sender lands in the shared '' bucket.
 */
import type { TopicKind } from '@nara/protocol'

const enc = new TextEncoder()
const FIELD: Partial<Record<TopicKind, Uint8Array>> = {
  hey_there: enc.encode('"emitter":"'),
  chau: enc.encode('"emitter":"'),
  social: enc.encode('"emitter":"'),
  checkpoint_final: enc.encode('"subject":"'),
  howdy: enc.encode('"From":"'),
  ledger_request: enc.encode('"From":"'),
  ledger_response: enc.encode('"From":"'),
  checkpoint_propose: enc.encode('"attester":"'),
  checkpoint_vote: enc.encode('"attester":"'),
  journey_complete: enc.encode('"reported_by":"'),
}

/** Longest sender name read, in bytes (protocol names are at most 64 bytes). */
const MAX_SENDER_BYTES = 64
const QUOTE = 0x22

/**
 * The sender a message claims: the topic name for newspapers, else the first
 * `"emitter"`/`"From"`/... string value in the raw bytes (at most 64 bytes), else ''.
 */
export function claimedSender(kind: TopicKind, topic: string, payload: Buffer): string {
  if (kind === 'newspaper') return topic.slice('nara/newspaper/'.length)
  const field = FIELD[kind]
  if (field === undefined) return ''
  const at = payload.indexOf(field)
  if (at < 0) return ''
  const start = at + field.length
  const end = payload.indexOf(QUOTE, start)
  if (end < 0 || end - start > MAX_SENDER_BYTES) return ''
  return payload.toString('latin1', start, end)
}
