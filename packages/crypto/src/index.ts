/**
 * @packageDocumentation
 *
 * `@nara/crypto` is everything secret or signed in a nara, byte-compatible with the Go naras
 * (WIRE.md §3–§6): souls, Ed25519 keys derived from the soul seed, NaraIDs and names, and one
 * module per message kind (`KINDS`) that owns its signable bytes, claimed sender, ID claims and
 * verification plan. `verifyDecoded` checks any decoded message against a {@link KeyLookup} and
 * is stricter than Go wherever Go can be fooled (`STRICTER_THAN_GO`).
 *
 * Subpaths: `@nara/crypto/wire` (signable bytes and low-level sign/verify of each kind),
 * `@nara/crypto/backends` (Ed25519 and SHA-256 implementations), `@nara/crypto/soul` (soul,
 * name, flair and hardware details), `@nara/crypto/errors` (every error class).
 *
 * @example
 * ```ts
 * import { decodeMessage, encodeSyncEvent, TOPICS } from '@nara/protocol'
 * import { buildHeyThere, createKeyLookup, generateSoul, identityFromSoul, verifyDecoded } from '@nara/crypto'
 *
 * const me = identityFromSoul(generateSoul('alice').soul, 'alice')
 * const ev = buildHeyThere(
 *   { name: me.name, publicKey: me.keypair.publicKey, naraId: me.naraId, tsNs: 1768774453123456789n },
 *   { name: me.name, seed: me.keypair.seed },
 * )
 * const bytes = new TextEncoder().encode(encodeSyncEvent(ev)) // exact bytes for nara/plaza/hey_there
 * const keys = createKeyLookup([{ name: me.name, id: me.naraId, publicKey: me.keypair.publicKey }])
 * console.log(verifyDecoded(decodeMessage(TOPICS.heyThere, bytes), keys).verdict) // 'accept'
 * ```
 */

export type { Ed25519Backend } from './backends/backend.js'
export { fastestBackend } from './backends/select.js'
export { CryptoError, type CryptoErrorCode } from './errors.js'
export { keyFingerprint } from './fingerprint.js'
export { type Identity, identityFromSoul } from './identity.js'
export { createKeyLookup, type KeyLookup, type KeyLookupEntry } from './key-lookup.js'
export { type Keypair, keypairFromSoul, parsePublicKeyBase64, publicKeyBase64 } from './keys.js'
export type { CheckpointFinalVerdict } from './kinds/checkpoint-final.js'
export type {
  DecodedOf,
  KindName,
  MessageKind,
  NameIdClaim,
  VerifyOptions,
} from './kinds/kind.js'
export { type DecodedLike, KINDS, kindOf, planDecoded, verifyDecoded } from './kinds/table.js'
export { nameFromSoul } from './names.js'
export { computeNaraId } from './nara-id.js'
export { isSplitSafe } from './signed-names.js'
export { encodeSoul, generateSoul, parseSoul, type Soul, validateBond } from './soul.js'
export { STRICTER_THAN_GO } from './stricter-than-go.js'
export type { Signer } from './sync-event.js'
export { buildChau, buildHeyThere, buildSocial } from './sync-event-builders.js'
export type { RejectReason, Verdict } from './verdict.js'
export { runPlan, type SignatureCheck, type VerificationPlan } from './verification-plan.js'
