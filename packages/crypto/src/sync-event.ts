/**
 * SyncEvent signable bytes, IDs and signatures (WIRE §4). One function produces each string and
 * the same function serves signing and verification:
 *
 * - content:  per-`svc` `ContentString` (§4.2), e.g. `hey_there:{From}:{PublicKey}:{MeshIP}`
 * - ID:       `hex(sha256(ts + ":" + svc + ":" + content)[0..16])` — recomputed on receipt
 * - digest:   `sha256(id + ":" + ts + ":" + svc + ":" + emitter + ":" + content)`; the 32-byte
 *             digest is the Ed25519 message.
 */
import { type Ed25519Backend, sha256Of } from './backends/backend.js'
import { nobleSha256, type Sha256Backend } from './backends/hash.js'
import { defaultBackend } from './backends/index.js'
import { assertPublicKey, assertSeed, fromBase64Strict, toBase64 } from './bytes.js'
import { checkpointContent } from './checkpoint-content.js'
import { InvalidMessageError } from './errors.js'
import { formatRttGo } from './rtt-format.js'
import { goInt, type SyncEventLike } from './types.js'

/** The JSON key of the payload that goes with each `svc`. */
export const PAYLOAD_KEY_BY_SVC = Object.freeze({
  social: 'social',
  ping: 'ping',
  observation: 'observation',
  'hey-there': 'hey_there',
  chau: 'chau',
  seen: 'seen',
  checkpoint: 'checkpoint',
} as const)

/** A SyncEvent `svc` value. */
export type SyncEventSvc = keyof typeof PAYLOAD_KEY_BY_SVC

/** Whether `svc` is known and its payload object is present. */
export function hasMatchingPayload(ev: SyncEventLike): boolean {
  const key = (PAYLOAD_KEY_BY_SVC as Record<string, string | undefined>)[ev.svc]
  if (key === undefined) return false
  const payload = (ev as unknown as Record<string, unknown>)[key]
  return payload !== undefined && payload !== null && typeof payload === 'object'
}

/**
 * Go's `ContentString` of the payload selected by `svc` (WIRE §4.2). Empty fields keep their
 * separators. hey_there/chau use the legacy format WITHOUT the ID (the ID format is disabled
 * upstream).
 * @throws InvalidMessageError when `svc` is unknown or its payload is missing
 */
export function syncEventContent(ev: SyncEventLike): string {
  switch (ev.svc) {
    case 'hey-there': {
      const p = ev.hey_there
      if (p) return `hey_there:${p.From ?? ''}:${p.PublicKey ?? ''}:${p.MeshIP ?? ''}`
      break
    }
    case 'chau': {
      const p = ev.chau
      if (p) return `chau:${p.From ?? ''}:${p.PublicKey ?? ''}`
      break
    }
    case 'social': {
      const p = ev.social
      if (p) {
        return `${p.type ?? ''}:${p.actor ?? ''}:${p.target ?? ''}:${p.reason ?? ''}:${p.witness ?? ''}`
      }
      break
    }
    case 'ping': {
      const p = ev.ping
      if (p) return `${p.observer ?? ''}:${p.target ?? ''}:${formatRttGo(p.rtt ?? 0)}`
      break
    }
    case 'seen': {
      const p = ev.seen
      if (p) return `seen:${p.observer ?? ''}:${p.subject ?? ''}:${p.via ?? ''}`
      break
    }
    case 'observation': {
      const p = ev.observation
      if (p) {
        if (p.type === 'restart') {
          return `${p.subject ?? ''}:restart:${goInt(p.restart_num)}:${goInt(p.start_time)}`
        }
        return (
          `${p.observer ?? ''}:${p.subject ?? ''}:${p.type ?? ''}:${p.online_state ?? ''}:` +
          `${goInt(p.start_time)}:${goInt(p.restart_num)}`
        )
      }
      break
    }
    case 'checkpoint': {
      const p = ev.checkpoint
      if (p) return checkpointContent(p)
      break
    }
  }
  throw new InvalidMessageError(`SyncEvent svc "${ev.svc}" has no matching payload`)
}

/** `ts + ":" + svc + ":" + content`: the text the event ID hashes. */
export function eventIdPreimage(ev: SyncEventLike): string {
  return `${goInt(ev.ts)}:${ev.svc}:${syncEventContent(ev)}`
}

/**
 * The event ID Go's `ComputeID` gives: 32 lowercase hex chars. `hash` defaults to
 * `nobleSha256`; pass `nodeSha256` (or a backend's `sha256`) to hash natively.
 */
export function computeEventId(ev: SyncEventLike, hash: Sha256Backend = nobleSha256): string {
  return hash.hex(eventIdPreimage(ev)).slice(0, 32)
}

/** Whether the event's `id` equals the recomputed one (never trust a received ID). */
export function eventIdMatches(ev: SyncEventLike): boolean {
  if (!hasMatchingPayload(ev) || typeof ev.id !== 'string') return false
  return ev.id === computeEventId(ev)
}

/** `id:ts:svc:emitter:content`, the text whose SHA-256 is signed. Uses the event's own `id`. */
export function syncEventSigningPreimage(ev: SyncEventLike): string {
  return `${ev.id ?? ''}:${goInt(ev.ts)}:${ev.svc}:${ev.emitter ?? ''}:${syncEventContent(ev)}`
}

/** The 32-byte digest that is the Ed25519 message of a SyncEvent signature. */
export function syncEventDigest(ev: SyncEventLike, hash: Sha256Backend = nobleSha256): Uint8Array {
  return hash.digest(syncEventSigningPreimage(ev))
}

/** What a receiver hashes of a SyncEvent (see {@link syncEventHashes}). */
export interface SyncEventHashes {
  /** The recomputed event ID (compare it with the received `id`). */
  readonly id: string
  /** The signing digest over the RECEIVED `id` (the Ed25519 message to verify). */
  readonly digest: Uint8Array
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
  const content = syncEventContent(ev)
  const tsSvc = `${goInt(ev.ts)}:${ev.svc}:`
  return {
    id: hash.hex(tsSvc + content).slice(0, 32),
    digest: hash.digest(`${ev.id ?? ''}:${tsSvc}${ev.emitter ?? ''}:${content}`),
  }
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

/** Whether the event is signed (`emitter` and `sig` both non-empty, Go `IsSigned`). */
export function isSyncEventSigned(ev: SyncEventLike): boolean {
  return (ev.emitter ?? '') !== '' && (ev.sig ?? '') !== ''
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
