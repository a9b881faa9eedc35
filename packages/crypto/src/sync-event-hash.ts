/**
 * The hashes of a SyncEvent given its content string (WIRE §4): the event ID
 * `hex(sha256(ts:svc:content)[0..16])` and the signing digest
 * `sha256(id:ts:svc:emitter:content)`. The content string itself belongs to each kind module.
 */
import { nobleSha256, type Sha256Backend } from './backends/hash.js'
import { formatGoInt, type SyncEventLike } from './types.js'

/** What a receiver hashes of a SyncEvent. */
export interface SyncEventHashes {
  /** The recomputed event ID (compare it with the received `id`). */
  readonly id: string
  /** The signing digest over the RECEIVED `id` (the Ed25519 message to verify). */
  readonly digest: Uint8Array
}

/** The event ID of `ev` whose content string is `content`. */
export function eventIdOf(
  ev: SyncEventLike,
  content: string,
  hash: Sha256Backend = nobleSha256,
): string {
  return hash.hex(`${formatGoInt(ev.ts)}:${ev.svc}:${content}`).slice(0, 32)
}

/** `id:ts:svc:emitter:content`, the text whose SHA-256 is signed (the event's own `id`). */
export function signingPreimageOf(ev: SyncEventLike, content: string): string {
  return `${ev.id ?? ''}:${formatGoInt(ev.ts)}:${ev.svc}:${ev.emitter ?? ''}:${content}`
}

/** The ID and digest in one go, building `ts:svc:` once (a plan hashes bytes: `sync-event-preimage.ts`). */
export function hashesOf(
  ev: SyncEventLike,
  content: string,
  hash: Sha256Backend = nobleSha256,
): SyncEventHashes {
  const tsSvc = `${formatGoInt(ev.ts)}:${ev.svc}:`
  return {
    id: hash.hex(tsSvc + content).slice(0, 32),
    digest: hash.digest(`${ev.id ?? ''}:${tsSvc}${ev.emitter ?? ''}:${content}`),
  }
}

/** Go `SyncEvent.IsValid`'s envelope part: `svc` set and `ts ≠ 0`. */
export function hasValidEnvelope(ev: SyncEventLike): boolean {
  const ts = typeof ev.ts === 'bigint' ? ev.ts : Number.isInteger(ev.ts) ? BigInt(ev.ts) : 0n
  return ev.svc !== '' && ts !== 0n
}

/** Whether the event is signed (`emitter` and `sig` both non-empty, Go `IsSigned`). */
export function isSyncEventSigned(ev: SyncEventLike): boolean {
  return (ev.emitter ?? '') !== '' && (ev.sig ?? '') !== ''
}
