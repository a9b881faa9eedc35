/** The tree decoder of a SyncEvent: the same rules as `syncEventSchema`, without zod. */
import { naraObservationDecoder } from './nara-status.js'
import {
  type ChauPayload,
  type CheckpointPayload,
  type HeyTherePayload,
  type ObservationPayload,
  PAYLOAD_KEY_BY_SVC,
  PAYLOAD_KEYS,
  type PingPayload,
  type SeenPayload,
  type SocialPayload,
  type SyncEvent,
  svcSchema,
} from './sync-event.js'
import * as D from './tree-decoder.js'

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
