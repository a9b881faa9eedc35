/**
 * SyncEvent (WIRE.md §4): the envelope of hey_there, chau, social and checkpoint-final messages
 * and of the gossip-only ping, observation and seen events. `ts` is int64 nanoseconds, kept as a
 * bigint end to end. This module holds the schemas and types; `sync-event-encode.ts` the
 * encoders, `sync-event-decoder.ts` the tree decoder.
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
import { goOptPtr, goStruct } from './go-schema.js'
import { naraObservationSchema } from './nara-status.js'

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
