/**
 * @packageDocumentation
 *
 * `@nara/protocol/schemas`: the zod schema of every payload (validation of data you build or
 * receive outside `decodeMessage`) and the encoders of the pieces messages are made of. The
 * message encoders themselves (`encodeSyncEvent`, `encodeHowdy`...) are in `@nara/protocol`.
 *
 * @example
 * ```ts
 * import { parseJson } from '@nara/protocol/json'
 * import { naraStatusSchema } from '@nara/protocol/schemas'
 *
 * const tree = parseJson('{"Flair":"","Buzz":3}') // schemas read the lossless tree
 * if (tree.ok) console.log(naraStatusSchema.parse(tree.value).Buzz)
 * ```
 */

export {
  attestationSchema,
  checkpointProposalSchema,
  checkpointVoteSchema,
  encodeAttestation,
} from './checkpoint.js'
export { howdyEventSchema, neighborInfoSchema } from './howdy.js'
export { encodeJourneyHop, journeyCompletionSchema, journeyHopSchema } from './journey.js'
export { ledgerRequestSchema, ledgerResponseSchema, legacySocialEventSchema } from './ledger.js'
export {
  auraSchema,
  coordinatesSchema,
  encodeNaraObservation,
  hostStatsSchema,
  naraObservationSchema,
  naraStatusSchema,
  personalitySchema,
} from './nara-status.js'
export { newspaperEnvelopeSchema } from './newspaper.js'
export {
  chauPayloadSchema,
  checkpointPayloadSchema,
  heyTherePayloadSchema,
  observationPayloadSchema,
  pingPayloadSchema,
  seenPayloadSchema,
  socialPayloadSchema,
  svcSchema,
  syncEventSchema,
} from './sync-event.js'
export {
  encodeChauPayload,
  encodeCheckpointPayload,
  encodeHeyTherePayload,
  encodeObservationPayload,
  encodePingPayload,
  encodeSeenPayload,
  encodeSocialPayload,
} from './sync-event-encode.js'
