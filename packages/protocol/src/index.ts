/**
 * @packageDocumentation
 *
 * `@nara/protocol` speaks the Go naras' MQTT wire format byte for byte (WIRE.md): topic strings,
 * zod schemas and TypeScript types for every payload, encoders that write exactly what Go's
 * `encoding/json` writes, and one never-throwing decoder for untrusted bytes that keeps int64
 * nanosecond timestamps exact (bigint) and hands back the raw signed bytes of newspapers.
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
  decodeStdBase64,
  encodeStdBase64,
} from './base64.js'
export {
  type Attestation,
  attestationSchema,
  type CheckpointProposal,
  type CheckpointVote,
  checkpointProposalSchema,
  checkpointVoteSchema,
  encodeAttestation,
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
export {
  compareUtf8,
  goJsonFloat,
  goJsonInt,
  goJsonInt64,
  goJsonMap,
  goJsonSlice,
  goJsonString,
  goJsonUint,
  utf8Length,
} from './go-json.js'
export {
  goFloat,
  goFoldKey,
  goInt,
  goInt64Big,
  goMap,
  goStruct,
  goUint,
  goUint32,
} from './go-schema.js'
export {
  encodeHowdy,
  type HowdyEvent,
  howdyEventSchema,
  type NeighborInfo,
  neighborInfoSchema,
} from './howdy.js'
export {
  encodeJourneyCompletion,
  encodeJourneyHop,
  type JourneyCompletion,
  type JourneyHop,
  journeyCompletionSchema,
  journeyHopSchema,
} from './journey.js'
export {
  encodeLedgerRequest,
  encodeLedgerResponse,
  type LedgerRequest,
  type LedgerResponse,
  type LegacySocialEvent,
  ledgerRequestSchema,
  ledgerResponseSchema,
  legacySocialEventSchema,
} from './ledger.js'
export {
  DEFAULT_MAX_DEPTH,
  JsonNumber,
  type JsonObject,
  type JsonValue,
  type ParseJsonOptions,
  type ParseJsonResult,
  parseJson,
} from './lossless.js'
export {
  type Aura,
  auraSchema,
  type Coordinates,
  coordinatesSchema,
  encodeNaraObservation,
  encodeNaraStatus,
  type HostStats,
  hostStatsSchema,
  type NaraObservation,
  type NaraStatus,
  naraObservationSchema,
  naraStatusSchema,
  type Personality,
  personalitySchema,
} from './nara-status.js'
export {
  encodeNewspaper,
  encodeNewspaperBytes,
  type NewspaperEnvelope,
  type NewspaperMessage,
  newspaperEnvelopeSchema,
} from './newspaper.js'
export {
  type ChauPayload,
  type ChauSyncEvent,
  type CheckpointPayload,
  type CheckpointSyncEvent,
  chauPayloadSchema,
  checkpointPayloadSchema,
  encodeChauPayload,
  encodeCheckpointPayload,
  encodeHeyTherePayload,
  encodeObservationPayload,
  encodePingPayload,
  encodeSeenPayload,
  encodeSocialPayload,
  encodeSyncEvent,
  type HeyTherePayload,
  type HeyThereSyncEvent,
  heyTherePayloadSchema,
  type ObservationPayload,
  type ObservationSyncEvent,
  observationPayloadSchema,
  PAYLOAD_KEY_BY_SVC,
  type PayloadKey,
  type PingPayload,
  type PingSyncEvent,
  pingPayloadSchema,
  type SeenPayload,
  type SeenSyncEvent,
  type SocialPayload,
  type SocialSyncEvent,
  SVC,
  type Svc,
  type SyncEvent,
  seenPayloadSchema,
  socialPayloadSchema,
  svcSchema,
  syncEventSchema,
} from './sync-event.js'
export {
  classifyTopic,
  isValidName,
  LEDGER_PREFIX,
  ledgerRequestTopic,
  ledgerResponseTopic,
  MAX_NAME_BYTES,
  NEWSPAPER_PREFIX,
  newspaperTopic,
  parseLedgerTopic,
  parseNewspaperTopic,
  subscriptionTopics,
  TOPICS,
  type TopicKind,
  topicQos,
} from './topics.js'
