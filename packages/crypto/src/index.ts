/**
 * @packageDocumentation
 *
 * `@nara/crypto` is everything secret or signed in a nara, byte-compatible with the Go naras
 * (WIRE.md §3–§6): souls (base58 `seed || tag`, bond tags), Ed25519 keys derived from the soul
 * seed, NaraIDs, Go-exact quirky names (a port of Go's `math/rand`), native souls and
 * `determineIdentity`, the signable bytes of every plaza message (one function per kind, shared
 * by signing and verification), three interchangeable Ed25519 backends (noble, node, sodium),
 * and `verifyDecoded`, a pure verifier of whole decoded messages that is stricter than Go
 * wherever Go can be fooled.
 *
 * @example
 * ```ts
 * import { encodeSyncEvent } from '@nara/protocol'
 * import {
 *   buildHeyThere, computeNaraId, createKeyring, generateSoul, keypairFromSoul,
 *   verifySignedSyncEvent,
 * } from '@nara/crypto'
 *
 * const { soul, name } = generateSoul('alice')
 * const { seed, publicKey } = keypairFromSoul(soul)
 * const naraId = computeNaraId(soul, name)
 * const ev = buildHeyThere({ name, publicKey, naraId, tsNs: 1768774453123456789n }, { name, seed })
 * const payload = encodeSyncEvent(ev) // exact bytes for nara/plaza/hey_there
 * const verdict = verifySignedSyncEvent(ev, createKeyring([{ name, id: naraId, publicKey }]))
 * console.log(payload.length, verdict.verdict) // … 'accept'
 * ```
 */

export { attestationMessage, signAttestation, verifyAttestation } from './attestation.js'
export { type BackendName, type Ed25519Backend, sha256Of } from './backends/backend.js'
export {
  nobleSha256,
  nodeSha256,
  type Sha256Backend,
  type Sha256BackendName,
} from './backends/hash.js'
export {
  availableBackends,
  defaultBackend,
  fastestBackend,
  getBackend,
} from './backends/index.js'
export { DEFAULT_KEY_CACHE_ENTRIES } from './backends/key-cache.js'
export { nobleBackend } from './backends/noble.js'
export { nodeBackend } from './backends/node.js'
export { loadSodiumBackend } from './backends/sodium.js'
export { decodeBase58, encodeBase58 } from './base58.js'
export { fromBase64Strict, fromHex, toHex } from './bytes.js'
export {
  type CheckpointFinalVerdict,
  checkpointVoterAttestation,
  isCheckpointPayloadValid,
  MIN_CHECKPOINT_SIGNATURES_LISTED,
  MIN_CHECKPOINT_VALID_VOTERS,
  planCheckpointFinal,
  verifyCheckpointFinal,
} from './checkpoint.js'
export { checkpointContent } from './checkpoint-content.js'
export {
  BackendUnavailableError,
  InvalidBase58Error,
  InvalidInputTypeError,
  InvalidMessageError,
  InvalidPublicKeyError,
  InvalidSeedError,
  InvalidSignatureLengthError,
  InvalidSoulError,
} from './errors.js'
export {
  flairGemstone,
  flairPrefix,
  GEMSTONES,
  type Personality,
  personalityFromSoul,
  SHADOW_FLAIR,
} from './flair.js'
export { GoRand, int64BigEndian } from './go-rand.js'
export {
  hardwareFingerprint,
  hashHardware,
  type InterfaceInfo,
  macFragments,
  nativeSoulCustom,
  nativeSoulGenerated,
} from './hardware.js'
export { howdyMessage, signHowdy, verifyHowdy } from './howdy.js'
export { determineIdentity, type IdentityResult } from './identity.js'
export { createKeyring, EMPTY_KEYRING, type Keyring, type KeyringEntry } from './keyring.js'
export {
  type Keypair,
  keypairFromSeed,
  keypairFromSoul,
  parsePublicKeyBase64,
  parsePublicKeyBase64OrThrow,
  publicKeyBase64,
} from './keys.js'
export {
  chauInnerMessage,
  heyThereInnerMessage,
  signChauInner,
  signHeyThereInner,
  verifyChauInner,
  verifyHeyThereInner,
} from './legacy-inner.js'
export { ADJECTIVES, generateName, isGenericHostname, NOUNS, nameFromSoul } from './names.js'
export { computeNaraId } from './nara-id.js'
export { signNewspaperStatus, verifyNewspaperStatus } from './newspaper.js'
export { formatRttGo } from './rtt-format.js'
export {
  bondTag,
  encodeSoul,
  generateSoul,
  parseSoul,
  type RandomBytes,
  SEED_LENGTH,
  SOUL_LENGTH,
  type Soul,
  soulBytes,
  soulForName,
  soulFromBytes,
  soulFromParts,
  TAG_LENGTH,
  validateBond,
} from './soul.js'
export { STRICTER_THAN_GO } from './stricter-than-go.js'
export {
  computeEventId,
  eventIdMatches,
  eventIdPreimage,
  hasMatchingPayload,
  isSyncEventSigned,
  PAYLOAD_KEY_BY_SVC,
  type Signer,
  type SyncEventHashes,
  type SyncEventSvc,
  signSyncEvent,
  syncEventContent,
  syncEventDigest,
  syncEventHashes,
  syncEventSigningPreimage,
  verifySyncEvent,
} from './sync-event.js'
export {
  buildChau,
  buildHeyThere,
  buildPing,
  buildSeen,
  buildSocial,
  type PublicKeyInput,
} from './sync-event-builders.js'
export type * from './types.js'
export { goInt } from './types.js'
export { isSyncEventPayloadValid } from './validity.js'
export type { RejectReason, Verdict } from './verdict.js'
export {
  decided,
  runPlan,
  type SignatureCheck,
  type VerificationPlan,
} from './verification-plan.js'
export {
  type DecodedLike,
  type NewspaperLike,
  planCheckpointProposal,
  planCheckpointVote,
  planDecoded,
  planHowdyMessage,
  planNewspaperMessage,
  planSignedSyncEvent,
  type VerifyOptions,
  verifyCheckpointProposal,
  verifyCheckpointVote,
  verifyDecoded,
  verifyHowdyMessage,
  verifyNewspaperMessage,
  verifySignedSyncEvent,
} from './verify-message.js'
export { isWeakPublicKey } from './weak-keys.js'
