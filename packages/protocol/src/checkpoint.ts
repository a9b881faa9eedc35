/**
 * Checkpoint consensus messages (WIRE.md §6.6): an Attestation, flattened into a proposal
 * (`+ round`) or a vote (`+ proposal_ts, round, approved`). The final checkpoint is a SyncEvent
 * with `svc: "checkpoint"` (see `sync-event.ts`). Times are seconds.
 */
import type { z } from 'zod'
import { bool, int, optStr, str } from './fields.js'
import { goJsonInt, goJsonString } from './go-json.js'
import { goStruct } from './go-schema.js'
import {
  encodeNaraObservation,
  naraObservationDecoder,
  naraObservationSchema,
} from './nara-status.js'
import * as D from './tree-decoder.js'

const attestationShape = {
  version: int(),
  subject: str(),
  subject_id: str(),
  /** Only `restarts`, `total_uptime` and `start_time` are used. */
  observation: naraObservationSchema.default(() => ({})),
  attester: str(),
  attester_id: str(),
  last_seen_checkpoint_id: optStr(),
  as_of_time: int(),
  signature: str(),
}

export const attestationSchema = goStruct(attestationShape)
export type Attestation = z.output<typeof attestationSchema>

export const checkpointProposalSchema = goStruct({ ...attestationShape, round: int() })
export type CheckpointProposal = z.output<typeof checkpointProposalSchema>

export const checkpointVoteSchema = goStruct({
  ...attestationShape,
  proposal_ts: int(),
  round: int(),
  approved: bool(),
})
export type CheckpointVote = z.output<typeof checkpointVoteSchema>

function attestationFields(a: Attestation): string {
  return (
    `{"version":${goJsonInt(a.version, 'version')}` +
    `,"subject":${goJsonString(a.subject)}` +
    `,"subject_id":${goJsonString(a.subject_id)}` +
    `,"observation":${encodeNaraObservation(a.observation)}` +
    `,"attester":${goJsonString(a.attester)}` +
    `,"attester_id":${goJsonString(a.attester_id)}` +
    (a.last_seen_checkpoint_id
      ? `,"last_seen_checkpoint_id":${goJsonString(a.last_seen_checkpoint_id)}`
      : '') +
    `,"as_of_time":${goJsonInt(a.as_of_time, 'as_of_time')}` +
    `,"signature":${goJsonString(a.signature)}`
  )
}

/** Encodes a bare Attestation. */
export function encodeAttestation(a: Attestation): string {
  return `${attestationFields(a)}}`
}

/** Encodes a proposal (published with QoS 1 on `nara/checkpoint/propose`). */
export function encodeCheckpointProposal(p: CheckpointProposal): string {
  return `${attestationFields(p)},"round":${goJsonInt(p.round, 'round')}}`
}

/** Encodes a vote (published with QoS 1 on `nara/checkpoint/vote`). */
export function encodeCheckpointVote(v: CheckpointVote): string {
  return `${attestationFields(v)},"proposal_ts":${goJsonInt(v.proposal_ts, 'proposal_ts')},"round":${goJsonInt(v.round, 'round')},"approved":${v.approved ? 'true' : 'false'}}`
}

const attestationSpec = {
  version: D.int,
  subject: D.str,
  subject_id: D.str,
  observation: naraObservationDecoder,
  attester: D.str,
  attester_id: D.str,
  last_seen_checkpoint_id: D.optStr,
  as_of_time: D.int,
  signature: D.str,
}

export const attestationDecoder = D.struct<Attestation>(attestationSpec)
export const checkpointProposalDecoder = D.struct<CheckpointProposal>({
  ...attestationSpec,
  round: D.int,
})
export const checkpointVoteDecoder = D.struct<CheckpointVote>({
  ...attestationSpec,
  proposal_ts: D.int,
  round: D.int,
  approved: D.bool,
})
