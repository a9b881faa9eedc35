/**
 * Cheap claimed-sender extraction from raw bytes, for the per-sender rate limit that runs
 * BEFORE any JSON parsing. It is a hint, not an identity: it only decides which token bucket
 * pays for the message. A payload that hides its sender lands in the shared '' bucket. Which
 * field names the sender is each kind's policy's `senderField`.
 */
import type { TopicKind } from '@nara/protocol'
import { POLICIES } from './policies/index.js'

const enc = new TextEncoder()
/** `"field":"` as bytes, per topic kind with a sender field. */
const FIELD = new Map<string, Uint8Array>()
for (const policy of Object.values(POLICIES)) {
  if (policy?.senderField !== undefined) {
    FIELD.set(policy.kind, enc.encode(`"${policy.senderField}":"`))
  }
}

/** Longest sender name read, in bytes (protocol names are at most 64 bytes). */
const MAX_SENDER_BYTES = 64
const QUOTE = 0x22
const NEWSPAPER_PREFIX = 'nara/newspaper/'.length

/**
 * The sender a message claims: the topic name for newspapers, else the first
 * `"emitter"`/`"From"`/... string value in the raw bytes (at most 64 bytes), else ''.
 */
export function claimedSender(kind: TopicKind, topic: string, payload: Buffer): string {
  if (kind === 'newspaper') return topic.slice(NEWSPAPER_PREFIX)
  const field = FIELD.get(kind)
  if (field === undefined) return ''
  const at = payload.indexOf(field)
  if (at < 0) return ''
  const start = at + field.length
  const end = payload.indexOf(QUOTE, start)
  if (end < 0 || end - start > MAX_SENDER_BYTES) return ''
  return payload.toString('latin1', start, end)
}
