/**
 * @packageDocumentation
 *
 * `@nara/crypto/wire`: the signable bytes of every message kind and the low-level signing and
 * checking of each, for senders that build messages by hand and for tests. Each function
 * produces exactly the bytes Go signs (WIRE §4–§6), and the same function serves signing and
 * verification. To verify a whole received message use `verifyDecoded` from `@nara/crypto`.
 *
 * @example
 * ```ts
 * import { generateSoul, keypairFromSoul } from '@nara/crypto'
 * import { howdyMessage, signHowdy, verifyHowdy } from '@nara/crypto/wire'
 *
 * const { seed, publicKey } = keypairFromSoul(generateSoul('alice').soul)
 * const Signature = signHowdy('alice', 'bob', 1, seed)
 * console.log(howdyMessage('alice', 'bob', 1), verifyHowdy({ From: 'alice', To: 'bob', Seq: 1, Signature }, publicKey))
 * ```
 */

export { decodeBase58, encodeBase58 } from './base58.js'
export { fromBase64Strict, fromHex, toHex } from './bytes.js'
export { keypairFromSeed, parsePublicKeyBase64OrThrow } from './keys.js'
export {
  attestationMessage,
  signAttestation,
  verifyAttestation,
} from './kinds/attestation.js'
export { chauContent } from './kinds/chau.js'
export {
  checkpointContent,
  checkpointVoterAttestation,
  isCheckpointPayloadValid,
  MIN_CHECKPOINT_SIGNATURES_LISTED,
  MIN_CHECKPOINT_VALID_VOTERS,
  planCheckpointFinal,
  verifyCheckpointFinal,
} from './kinds/checkpoint-final.js'
export { heyThereContent } from './kinds/hey-there.js'
export { howdyMessage, signHowdy, verifyHowdy } from './kinds/howdy.js'
export {
  type NewspaperLike,
  signNewspaperStatus,
  verifyNewspaperStatus,
} from './kinds/newspaper.js'
export { observationContent } from './kinds/observation.js'
export { pingContent } from './kinds/ping.js'
export { seenContent } from './kinds/seen.js'
export { socialContent } from './kinds/social.js'
export {
  chauInnerMessage,
  heyThereInnerMessage,
  signChauInner,
  signHeyThereInner,
  verifyChauInner,
  verifyHeyThereInner,
} from './legacy-inner.js'
export { formatRttGo } from './rtt-format.js'
export {
  computeEventId,
  eventIdMatches,
  eventIdPreimage,
  hasMatchingPayload,
  isSyncEventPayloadValid,
  isSyncEventSigned,
  type SyncEventHashes,
  signSyncEvent,
  syncEventContent,
  syncEventDigest,
  syncEventHashes,
  syncEventSigningPreimage,
  verifySyncEvent,
} from './sync-event.js'
export { buildPing, buildSeen, type PublicKeyInput } from './sync-event-builders.js'
export type * from './types.js'
export { formatGoInt } from './types.js'
export { accept, reject } from './verdict.js'
export { decided } from './verification-plan.js'
export { isWeakPublicKey } from './weak-keys.js'
