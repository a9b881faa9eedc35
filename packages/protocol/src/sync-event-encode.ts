/**
 * Encoders of SyncEvents and their payloads, exactly as Go's `json.Marshal` writes them (field
 * order, omitempty, escaping, `ts` as plain int64 digits).
 */
import {
  goJsonFloat,
  goJsonInt,
  goJsonInt64,
  goJsonSlice,
  goJsonString,
  goJsonUint,
} from './go-json.js'
import { encodeNaraObservation } from './nara-status.js'
import type {
  ChauPayload,
  CheckpointPayload,
  HeyTherePayload,
  ObservationPayload,
  PingPayload,
  SeenPayload,
  SocialPayload,
  SyncEvent,
} from './sync-event.js'

function optS(key: string, v: string | undefined): string {
  return v ? `,"${key}":${goJsonString(v)}` : ''
}
function optI(key: string, v: number | undefined): string {
  return v ? `,"${key}":${goJsonInt(v, key)}` : ''
}
/** Drops the leading comma of a field list. */
function obj(fields: string): string {
  return fields === '' ? '{}' : `{${fields.slice(1)}}`
}

export function encodeHeyTherePayload(p: HeyTherePayload): string {
  return `{"From":${goJsonString(p.From)},"PublicKey":${goJsonString(p.PublicKey)},"MeshIP":${goJsonString(p.MeshIP)},"ID":${goJsonString(p.ID)},"Signature":${goJsonString(p.Signature)}}`
}

export function encodeChauPayload(p: ChauPayload): string {
  return `{"From":${goJsonString(p.From)},"PublicKey":${goJsonString(p.PublicKey)},"ID":${goJsonString(p.ID)},"Signature":${goJsonString(p.Signature)}}`
}

export function encodeSocialPayload(p: SocialPayload): string {
  return obj(
    `,"type":${goJsonString(p.type)}` +
      optS('actor', p.actor) +
      optS('actor_id', p.actor_id) +
      optS('target', p.target) +
      optS('target_id', p.target_id) +
      optS('reason', p.reason) +
      optS('witness', p.witness),
  )
}

export function encodePingPayload(p: PingPayload): string {
  return obj(
    optS('observer', p.observer) +
      optS('observer_id', p.observer_id) +
      optS('target', p.target) +
      optS('target_id', p.target_id) +
      `,"rtt":${goJsonFloat(p.rtt)}`,
  )
}

export function encodeObservationPayload(p: ObservationPayload): string {
  return obj(
    optS('observer', p.observer) +
      optS('observer_id', p.observer_id) +
      optS('subject', p.subject) +
      optS('subject_id', p.subject_id) +
      `,"type":${goJsonString(p.type)}` +
      `,"importance":${goJsonInt(p.importance, 'importance')}` +
      (p.is_backfill ? ',"is_backfill":true' : '') +
      optI('start_time', p.start_time) +
      optI('restart_num', p.restart_num) +
      optI('last_restart', p.last_restart) +
      optS('online_state', p.online_state) +
      optS('cluster_name', p.cluster_name) +
      (p.observer_uptime
        ? `,"observer_uptime":${goJsonUint(p.observer_uptime, 'observer_uptime')}`
        : ''),
  )
}

export function encodeSeenPayload(p: SeenPayload): string {
  return obj(
    optS('observer', p.observer) +
      optS('observer_id', p.observer_id) +
      optS('subject', p.subject) +
      optS('subject_id', p.subject_id) +
      `,"via":${goJsonString(p.via)}`,
  )
}

const writeStr = (s: string) => goJsonString(s)

export function encodeCheckpointPayload(p: CheckpointPayload): string {
  return (
    `{"version":${goJsonInt(p.version, 'version')}` +
    `,"subject":${goJsonString(p.subject)}` +
    `,"subject_id":${goJsonString(p.subject_id)}` +
    optS('previous_checkpoint_id', p.previous_checkpoint_id) +
    `,"observation":${encodeNaraObservation(p.observation)}` +
    `,"as_of_time":${goJsonInt(p.as_of_time, 'as_of_time')}` +
    `,"round":${goJsonInt(p.round, 'round')}` +
    (p.voter_ids && p.voter_ids.length > 0
      ? `,"voter_ids":${goJsonSlice(p.voter_ids, writeStr)}`
      : '') +
    (p.signatures && p.signatures.length > 0
      ? `,"signatures":${goJsonSlice(p.signatures, writeStr)}`
      : '') +
    '}'
  )
}

/**
 * Encodes a SyncEvent exactly as Go's `json.Marshal` does (field order, omitempty, escaping,
 * `ts` as plain int64 digits). Every payload object that is present is written, in Go order.
 */
export function encodeSyncEvent(ev: SyncEvent): string {
  let out =
    `{"id":${goJsonString(ev.id)},"ts":${goJsonInt64(ev.ts, 'ts')},"svc":${goJsonString(ev.svc)}` +
    optS('emitter', ev.emitter) +
    optS('emitter_id', ev.emitter_id) +
    optS('sig', ev.sig)
  if (ev.social) out += `,"social":${encodeSocialPayload(ev.social)}`
  if (ev.ping) out += `,"ping":${encodePingPayload(ev.ping)}`
  if (ev.observation) out += `,"observation":${encodeObservationPayload(ev.observation)}`
  if (ev.hey_there) out += `,"hey_there":${encodeHeyTherePayload(ev.hey_there)}`
  if (ev.chau) out += `,"chau":${encodeChauPayload(ev.chau)}`
  if (ev.seen) out += `,"seen":${encodeSeenPayload(ev.seen)}`
  if (ev.checkpoint) out += `,"checkpoint":${encodeCheckpointPayload(ev.checkpoint)}`
  return `${out}}`
}
