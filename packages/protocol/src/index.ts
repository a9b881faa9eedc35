/**
 * @packageDocumentation
 *
 * `@nara/protocol` speaks the Go naras' MQTT wire format byte for byte (WIRE.md): topic strings,
 * zod schemas and TypeScript types for every payload, encoders that write exactly what Go's
 * `encoding/json` writes, and one never-throwing decoder for untrusted bytes that keeps int64
 * nanosecond timestamps exact (bigint) and hands back the raw signed bytes of newspapers.
 *
 * Subpaths: `@nara/protocol/schemas` (zod schemas and per-payload encoders),
 * `@nara/protocol/json` (the lossless JSON parser and Go `encoding/json` writers, base64),
 * `@nara/protocol/topics` (topic prefixes and parsers), `@nara/protocol/errors`.
 *
 * @example
 * ```ts
 * import { TOPICS, decodeMessage, encodeSyncEvent } from '@nara/protocol'
 *
 * const bytes = new TextEncoder().encode(
 *   encodeSyncEvent({
 *     id: 'f8d0c38e01c13deba090b3a26ae4c158',
 *     ts: 1768774453123456789n,
 *     svc: 'hey-there',
 *     hey_there: { From: 'alice', PublicKey: '', MeshIP: '', ID: '', Signature: '' },
 *   }),
 * )
 * const r = decodeMessage(TOPICS.heyThere, bytes)
 * if (r.ok && r.kind === 'hey_there') console.log(r.message.hey_there.From, r.message.ts)
 * else if (!r.ok) console.log('dropped:', r.reason)
 * ```
 */

export {
  type Attestation,
  type CheckpointProposal,
  type CheckpointVote,
  encodeCheckpointProposal,
  encodeCheckpointVote,
} from './checkpoint.js'
export {
  DEFAULT_MAX_PAYLOAD_BYTES,
  type DecodedKind,
  type DecodedMessage,
  type DecodeFailure,
  type DecodeOptions,
  type DecodeReason,
  type DecodeResult,
  decodeMessage,
  decodeSyncEvent,
} from './decode.js'
export { ProtocolError, type ProtocolErrorCode } from './errors.js'
export type { GoWideInt } from './go-schema.js'
export { encodeHowdy, type HowdyEvent, type NeighborInfo } from './howdy.js'
export { encodeJourneyCompletion, type JourneyCompletion, type JourneyHop } from './journey.js'
export {
  encodeLedgerRequest,
  encodeLedgerResponse,
  type LedgerRequest,
  type LedgerResponse,
  type LegacySocialEvent,
} from './ledger.js'
export {
  type Aura,
  type Coordinates,
  encodeNaraStatus,
  type HostStats,
  type NaraObservation,
  type NaraStatus,
  type Personality,
} from './nara-status.js'
export {
  encodeNewspaper,
  encodeNewspaperBytes,
  type NewspaperEnvelope,
  type NewspaperMessage,
} from './newspaper.js'
export {
  type ChauPayload,
  type ChauSyncEvent,
  type CheckpointPayload,
  type CheckpointSyncEvent,
  type HeyTherePayload,
  type HeyThereSyncEvent,
  type ObservationPayload,
  type ObservationSyncEvent,
  type PayloadKey,
  type PingPayload,
  type PingSyncEvent,
  type SeenPayload,
  type SeenSyncEvent,
  type SocialPayload,
  type SocialSyncEvent,
  SVC,
  type Svc,
  type SyncEvent,
} from './sync-event.js'
export { encodeSyncEvent } from './sync-event-encode.js'
export {
  classifyTopic,
  isValidName,
  ledgerRequestTopic,
  ledgerResponseTopic,
  newspaperTopic,
  subscriptionTopics,
  TOPICS,
  type TopicKind,
  topicQos,
} from './topics.js'
