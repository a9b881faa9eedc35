/**
 * Builders for the signed SyncEvents a TS nara publishes or gossips. Each returns a complete
 * event (`id`, `ts`, `svc`, `emitter`, `sig`, payload) ready for `@nara/protocol`'s
 * `encodeSyncEvent`.
 */
import type { Ed25519Backend } from './backends/backend.js'
import { defaultBackend } from './backends/select.js'
import { publicKeyBase64 } from './keys.js'
import { type Signer, signSyncEvent } from './sync-event.js'

/** A public key as bytes (32) or its wire base64 text. */
export type PublicKeyInput = Uint8Array | string

function keyText(publicKey: PublicKeyInput): string {
  return typeof publicKey === 'string' ? publicKey : publicKeyBase64(publicKey)
}

/** Signed `hey-there` event (WIRE §6.1); content `hey_there:{From}:{PublicKey}:{MeshIP}`. */
export function buildHeyThere(
  input: {
    /** Our name (`From`). */
    name: string
    /** Our public key. */
    publicKey: PublicKeyInput
    /** Mesh (tailnet) IP, `""` when none. */
    meshIp?: string
    /** Our NaraID (not covered by the signature). */
    naraId: string
    /** Creation time, nanoseconds since the epoch. */
    tsNs: bigint
  },
  signer: Signer,
  backend: Ed25519Backend = defaultBackend,
) {
  const event = {
    id: '',
    ts: input.tsNs,
    svc: 'hey-there' as const,
    hey_there: {
      From: input.name,
      PublicKey: keyText(input.publicKey),
      MeshIP: input.meshIp ?? '',
      ID: input.naraId,
      Signature: '',
    },
  }
  return signSyncEvent(event, signer, backend)
}

/** Signed `chau` event (WIRE §6.2); content `chau:{From}:{PublicKey}`. */
export function buildChau(
  input: {
    /** Our name (`From`). */
    name: string
    /** Our public key. */
    publicKey: PublicKeyInput
    /** Our NaraID (not covered by the signature). */
    naraId: string
    /** Creation time, nanoseconds since the epoch. */
    tsNs: bigint
  },
  signer: Signer,
  backend: Ed25519Backend = defaultBackend,
) {
  const event = {
    id: '',
    ts: input.tsNs,
    svc: 'chau' as const,
    chau: {
      From: input.name,
      PublicKey: keyText(input.publicKey),
      ID: input.naraId,
      Signature: '',
    },
  }
  return signSyncEvent(event, signer, backend)
}

/** Signed `social` event; content `{type}:{actor}:{target}:{reason}:{witness}`. */
export function buildSocial(
  input: {
    /** `tease`, `observed`, `gossip`, `observation` or `service`. */
    type: string
    /** Who acts (normally the signer). */
    actor: string
    actorId?: string
    /** About whom. */
    target: string
    targetId?: string
    /** e.g. `high-restarts`. */
    reason?: string
    witness?: string
    /** Creation time, nanoseconds since the epoch. */
    tsNs: bigint
  },
  signer: Signer,
  backend: Ed25519Backend = defaultBackend,
) {
  const social: {
    type: string
    actor: string
    actor_id?: string
    target: string
    target_id?: string
    reason?: string
    witness?: string
  } = { type: input.type, actor: input.actor, target: input.target }
  if (input.actorId) social.actor_id = input.actorId
  if (input.targetId) social.target_id = input.targetId
  if (input.reason) social.reason = input.reason
  if (input.witness) social.witness = input.witness
  const event = { id: '', ts: input.tsNs, svc: 'social' as const, social }
  return signSyncEvent(event, signer, backend)
}

/** Signed `ping` event; content `{observer}:{target}:{rtt %.1f}`; `rttMs` in milliseconds. */
export function buildPing(
  input: { observer: string; target: string; rttMs: number; tsNs: bigint },
  signer: Signer,
  backend: Ed25519Backend = defaultBackend,
) {
  const event = {
    id: '',
    ts: input.tsNs,
    svc: 'ping' as const,
    ping: { observer: input.observer, target: input.target, rtt: input.rttMs },
  }
  return signSyncEvent(event, signer, backend)
}

/** Signed `seen` event; content `seen:{observer}:{subject}:{via}`. */
export function buildSeen(
  input: { observer: string; subject: string; via: string; tsNs: bigint },
  signer: Signer,
  backend: Ed25519Backend = defaultBackend,
) {
  const event = {
    id: '',
    ts: input.tsNs,
    svc: 'seen' as const,
    seen: { observer: input.observer, subject: input.subject, via: input.via },
  }
  return signSyncEvent(event, signer, backend)
}
