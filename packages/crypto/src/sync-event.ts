/**
 * SyncEvent signable bytes, IDs and signatures (WIRE §4), for any `svc`: the content string comes
 * from the kind module of that svc (`kinds/`). The same function serves signing and verification:
 *
 * - content:  per-`svc` `ContentString` (§4.2), e.g. `hey_there:{From}:{PublicKey}:{MeshIP}`
 * - ID:       `hex(sha256(ts + ":" + svc + ":" + content)[0..16])` — recomputed on receipt
 * - digest:   `sha256(id + ":" + ts + ":" + svc + ":" + emitter + ":" + content)`; the 32-byte
 *             digest is the Ed25519 message.
 */
import { type Ed25519Backend, sha256Of } from './backends/backend.js'
import { nobleSha256, type Sha256Backend } from './backends/hash.js'
import { defaultBackend } from './backends/select.js'
import { assertPublicKey, assertSeed, fromBase64Strict, toBase64 } from './bytes.js'
import { InvalidMessageError } from './errors.js'
import type { AnySyncEventSpec } from './kinds/sync-event-kind.js'
import { SYNC_EVENT_SPECS } from './kinds/table.js'
import {
  eventIdOf,
  hashesOf,
  hasValidEnvelope,
  isSyncEventSigned,
  type SyncEventHashes,
  signingPreimageOf,
} from './sync-event-hash.js'
import { formatGoInt, type SyncEventLike } from './types.js'

/** The kind spec of `ev.svc` and its payload, when the svc is known and its payload present. */
function specAndPayload(ev: SyncEventLike): [AnySyncEventSpec, never] | undefined {
  const spec = SYNC_EVENT_SPECS.get(ev.svc)
  if (spec === undefined) return undefined
  const payload = (ev as unknown as Record<string, unknown>)[spec.payloadKey]
  return payload !== null && typeof payload === 'object' ? [spec, payload as never] : undefined
}

/** Whether `svc` is known and its payload object is present. */
export function hasMatchingPayload(ev: SyncEventLike): boolean {
  return specAndPayload(ev) !== undefined
}

/** Go `SyncEvent.IsValid`: `svc` set, `ts ≠ 0`, and the selected payload's own rule (§4.2). */
export function isSyncEventPayloadValid(ev: SyncEventLike): boolean {
  const found = specAndPayload(ev)
  return found !== undefined && hasValidEnvelope(ev) && found[0].valid(found[1])
}

/**
 * Go's `ContentString` of the payload selected by `svc` (WIRE §4.2), from the kind module of
 * that svc. Empty fields keep their separators.
 * @throws InvalidMessageError when `svc` is unknown or its payload is missing
 */
export function syncEventContent(ev: SyncEventLike): string {
  const found = specAndPayload(ev)
  if (found === undefined) {
    throw new InvalidMessageError(`SyncEvent svc "${ev.svc}" has no matching payload`)
  }
  return found[0].content(found[1])
}

/** `ts + ":" + svc + ":" + content`: the text the event ID hashes. */
export function eventIdPreimage(ev: SyncEventLike): string {
  return `${formatGoInt(ev.ts)}:${ev.svc}:${syncEventContent(ev)}`
}

/**
 * The event ID Go's `ComputeID` gives: 32 lowercase hex chars. `hash` defaults to
 * `nobleSha256`; pass `nodeSha256` (or a backend's `sha256`) to hash natively.
 */
export function computeEventId(ev: SyncEventLike, hash: Sha256Backend = nobleSha256): string {
  return eventIdOf(ev, syncEventContent(ev), hash)
}

/** Whether the event's `id` equals the recomputed one (never trust a received ID). */
export function eventIdMatches(ev: SyncEventLike): boolean {
  if (!hasMatchingPayload(ev) || typeof ev.id !== 'string') return false
  return ev.id === computeEventId(ev)
}

/** `id:ts:svc:emitter:content`, the text whose SHA-256 is signed. Uses the event's own `id`. */
export function syncEventSigningPreimage(ev: SyncEventLike): string {
  return signingPreimageOf(ev, syncEventContent(ev))
}

/** The 32-byte digest that is the Ed25519 message of a SyncEvent signature. */
export function syncEventDigest(ev: SyncEventLike, hash: Sha256Backend = nobleSha256): Uint8Array {
  return hash.digest(syncEventSigningPreimage(ev))
}

/**
 * `computeEventId(ev)` and `syncEventDigest(ev)` in one go, building the content string once:
 * the receive path of a SyncEvent. Same bytes as the two functions.
 * @throws InvalidMessageError when `svc` is unknown or its payload is missing
 */
export function syncEventHashes(
  ev: SyncEventLike,
  hash: Sha256Backend = nobleSha256,
): SyncEventHashes {
  return hashesOf(ev, syncEventContent(ev), hash)
}

/** Who signs: the emitter name and its 32-byte Ed25519 seed (secret). */
export interface Signer {
  /** Emitter name written into the event. */
  readonly name: string
  /** 32-byte RFC 8032 seed (the soul seed). */
  readonly seed: Uint8Array
}

/**
 * Returns a copy of `ev` with `emitter = signer.name`, `id` recomputed and `sig` set
 * (Go `SyncEvent.Sign`). The input is not modified.
 */
export function signSyncEvent<T extends SyncEventLike>(
  ev: T,
  signer: Signer,
  backend: Ed25519Backend = defaultBackend,
): T & { id: string; emitter: string; sig: string } {
  assertSeed(signer.seed)
  const hash = sha256Of(backend)
  const withId = { ...ev, emitter: signer.name, id: computeEventId(ev, hash) }
  const sig = toBase64(backend.sign(syncEventDigest(withId, hash), signer.seed))
  return { ...withId, sig }
}

/**
 * Checks the event's signature with `publicKey` over the received fields (the received `id`;
 * compare it with `eventIdMatches` separately). Unsigned, malformed signature text, wrong
 * signature length or a missing payload all return `false`.
 * @throws InvalidPublicKeyError / InvalidInputTypeError when `publicKey` is not 32 bytes
 */
export function verifySyncEvent(
  ev: SyncEventLike,
  publicKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): boolean {
  assertPublicKey(publicKey)
  if (!isSyncEventSigned(ev) || !hasMatchingPayload(ev)) return false
  const sig = fromBase64Strict(ev.sig)
  if (sig === null || sig.length !== 64) return false
  return backend.verify(sig, syncEventDigest(ev, sha256Of(backend)), publicKey)
}

export { isSyncEventSigned, type SyncEventHashes }
