/**
 * SyncEvent (WIRE.md §4): the envelope of hey_there, chau, social and checkpoint-final messages
 * and of the gossip-only ping, observation and seen events. `ts` is int64 nanoseconds, kept as a
 * bigint end to end.
 */
import { z } from 'zod'
import {
  float,
  int,
  int64Big,
  optBool,
  optInt,
  optStr,
  optStrSlice,
  optUint,
  str,
} from './fields.js'
import {
  goJsonFloat,
  goJsonInt,
  goJsonInt64,
  goJsonSlice,
  goJsonString,
  goJsonUint,
} from './go-json.js'
import { goOptPtr, goStruct } from './go-schema.js'
import {
  encodeNaraObservation,
  naraObservationDecoder,
  naraObservationSchema,
} from './nara-status.js'
import * as D from './tree-decoder.js'

/** SyncEvent `svc` values. Note the hyphen in `hey-there` (topic and JSON key use `_`). */
export const SVC = {
  social: 'social',
  ping: 'ping',
  observation: 'observation',
  heyThere: 'hey-there',
  chau: 'chau',
  seen: 'seen',
  checkpoint: 'checkpoint',
} as const
export const svcSchema = z.enum([
  'social',
  'ping',
  'observation',
  'hey-there',
  'chau',
  'seen',
  'checkpoint',
])
export type Svc = z.output<typeof svcSchema>

/** `hey_there` payload: PascalCase keys, no omitempty; `Signature` is always `""` on the wire. */
export const heyTherePayloadSchema = goStruct({
  From: str(),
  PublicKey: str(),
  MeshIP: str(),
  ID: str(),
  Signature: str(),
})
export type HeyTherePayload = z.output<typeof heyTherePayloadSchema>

/** `chau` payload: PascalCase keys, no omitempty. */
export const chauPayloadSchema = goStruct({
  From: str(),
  PublicKey: str(),
  ID: str(),
  Signature: str(),
})
export type ChauPayload = z.output<typeof chauPayloadSchema>

export const socialPayloadSchema = goStruct({
  type: str(),
  actor: optStr(),
  actor_id: optStr(),
  target: optStr(),
  target_id: optStr(),
  reason: optStr(),
  witness: optStr(),
})
export type SocialPayload = z.output<typeof socialPayloadSchema>

/** Ping: `rtt` in milliseconds (float64, not omitempty). */
export const pingPayloadSchema = goStruct({
  observer: optStr(),
  observer_id: optStr(),
  target: optStr(),
  target_id: optStr(),
  rtt: float(),
})
export type PingPayload = z.output<typeof pingPayloadSchema>

/** Observation: times in seconds; `observer_uptime` is a uint64 of seconds. */
export const observationPayloadSchema = goStruct({
  observer: optStr(),
  observer_id: optStr(),
  subject: optStr(),
  subject_id: optStr(),
  type: str(),
  importance: int(),
  is_backfill: optBool(),
  start_time: optInt(),
  restart_num: optInt(),
  last_restart: optInt(),
  online_state: optStr(),
  cluster_name: optStr(),
  observer_uptime: optUint(),
})
export type ObservationPayload = z.output<typeof observationPayloadSchema>

export const seenPayloadSchema = goStruct({
  observer: optStr(),
  observer_id: optStr(),
  subject: optStr(),
  subject_id: optStr(),
  via: str(),
})
export type SeenPayload = z.output<typeof seenPayloadSchema>

/** Final checkpoint payload (WIRE.md §6.6.3); `as_of_time` in seconds. */
export const checkpointPayloadSchema = goStruct({
  version: int(),
  subject: str(),
  subject_id: str(),
  previous_checkpoint_id: optStr(),
  observation: naraObservationSchema.default(() => ({})),
  as_of_time: int(),
  round: int(),
  voter_ids: optStrSlice(),
  signatures: optStrSlice(),
})
export type CheckpointPayload = z.output<typeof checkpointPayloadSchema>

/** Payload keys in Go declaration order, with the `svc` each belongs to. */
export const PAYLOAD_KEYS = [
  ['social', 'social'],
  ['ping', 'ping'],
  ['observation', 'observation'],
  ['hey_there', 'hey-there'],
  ['chau', 'chau'],
  ['seen', 'seen'],
  ['checkpoint', 'checkpoint'],
] as const
export type PayloadKey = (typeof PAYLOAD_KEYS)[number][0]

/** The JSON key of the payload object that goes with each `svc`. */
export const PAYLOAD_KEY_BY_SVC: Readonly<Record<Svc, PayloadKey>> = {
  social: 'social',
  ping: 'ping',
  observation: 'observation',
  'hey-there': 'hey_there',
  chau: 'chau',
  seen: 'seen',
  checkpoint: 'checkpoint',
}

/**
 * The SyncEvent envelope. Decoding requires exactly one non-null payload object, the one that
 * matches `svc` (Go selects by `svc` and can crash when it is missing; we refuse both a missing
 * payload and extra payload objects).
 */
export const syncEventSchema = goStruct({
  id: str(),
  ts: int64Big(),
  svc: svcSchema,
  emitter: optStr(),
  emitter_id: optStr(),
  sig: optStr(),
  social: goOptPtr(socialPayloadSchema),
  ping: goOptPtr(pingPayloadSchema),
  observation: goOptPtr(observationPayloadSchema),
  hey_there: goOptPtr(heyTherePayloadSchema),
  chau: goOptPtr(chauPayloadSchema),
  seen: goOptPtr(seenPayloadSchema),
  checkpoint: goOptPtr(checkpointPayloadSchema),
}).superRefine((ev, ctx) => {
  const want = PAYLOAD_KEY_BY_SVC[ev.svc]
  for (const [key] of PAYLOAD_KEYS) {
    const present = ev[key] !== undefined
    if (key === want && !present) {
      ctx.addIssue({ code: 'custom', message: `svc "${ev.svc}" without a "${want}" payload` })
    } else if (key !== want && present) {
      ctx.addIssue({
        code: 'custom',
        message: `svc "${ev.svc}" carries a foreign "${key}" payload`,
      })
    }
  }
})

export type SyncEvent = z.output<typeof syncEventSchema>

/** A SyncEvent whose `svc` and payload are known to match (what decoding returns). */
export type HeyThereSyncEvent = SyncEvent & { svc: 'hey-there'; hey_there: HeyTherePayload }
export type ChauSyncEvent = SyncEvent & { svc: 'chau'; chau: ChauPayload }
export type SocialSyncEvent = SyncEvent & { svc: 'social'; social: SocialPayload }
export type PingSyncEvent = SyncEvent & { svc: 'ping'; ping: PingPayload }
export type ObservationSyncEvent = SyncEvent & {
  svc: 'observation'
  observation: ObservationPayload
}
export type SeenSyncEvent = SyncEvent & { svc: 'seen'; seen: SeenPayload }
export type CheckpointSyncEvent = SyncEvent & { svc: 'checkpoint'; checkpoint: CheckpointPayload }

// ---------------------------------------------------------------------------------------------
// Encoders

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

// ---------------------------------------------------------------------------------------------
// Fast tree decoder (same rules as `syncEventSchema`)

const envelopeDecoder = D.struct<SyncEvent>({
  id: D.str,
  ts: D.int64Big,
  svc: D.oneOf(svcSchema.options),
  emitter: D.optStr,
  emitter_id: D.optStr,
  sig: D.optStr,
  social: D.optPtr(
    D.struct<SocialPayload>({
      type: D.str,
      actor: D.optStr,
      actor_id: D.optStr,
      target: D.optStr,
      target_id: D.optStr,
      reason: D.optStr,
      witness: D.optStr,
    }),
  ),
  ping: D.optPtr(
    D.struct<PingPayload>({
      observer: D.optStr,
      observer_id: D.optStr,
      target: D.optStr,
      target_id: D.optStr,
      rtt: D.float,
    }),
  ),
  observation: D.optPtr(
    D.struct<ObservationPayload>({
      observer: D.optStr,
      observer_id: D.optStr,
      subject: D.optStr,
      subject_id: D.optStr,
      type: D.str,
      importance: D.int,
      is_backfill: D.optBool,
      start_time: D.optInt,
      restart_num: D.optInt,
      last_restart: D.optInt,
      online_state: D.optStr,
      cluster_name: D.optStr,
      observer_uptime: D.optUint,
    }),
  ),
  hey_there: D.optPtr(
    D.struct<HeyTherePayload>({
      From: D.str,
      PublicKey: D.str,
      MeshIP: D.str,
      ID: D.str,
      Signature: D.str,
    }),
  ),
  chau: D.optPtr(
    D.struct<ChauPayload>({ From: D.str, PublicKey: D.str, ID: D.str, Signature: D.str }),
  ),
  seen: D.optPtr(
    D.struct<SeenPayload>({
      observer: D.optStr,
      observer_id: D.optStr,
      subject: D.optStr,
      subject_id: D.optStr,
      via: D.str,
    }),
  ),
  checkpoint: D.optPtr(
    D.struct<CheckpointPayload>({
      version: D.int,
      subject: D.str,
      subject_id: D.str,
      previous_checkpoint_id: D.optStr,
      observation: naraObservationDecoder,
      as_of_time: D.int,
      round: D.int,
      voter_ids: D.optSlice(D.str),
      signatures: D.optSlice(D.str),
    }),
  ),
})

/** Decodes a SyncEvent tree and checks that exactly the payload named by `svc` is present. */
export const syncEventDecoder: D.Dec<SyncEvent> = (v) => {
  const ev = envelopeDecoder(v)
  const want = PAYLOAD_KEY_BY_SVC[ev.svc]
  for (const [key] of PAYLOAD_KEYS) {
    const present = ev[key] !== undefined
    if (key === want && !present) {
      throw new D.SchemaIssue('', `svc "${ev.svc}" without a "${want}" payload`)
    }
    if (key !== want && present) {
      throw new D.SchemaIssue('', `svc "${ev.svc}" carries a foreign "${key}" payload`)
    }
  }
  return ev
}
