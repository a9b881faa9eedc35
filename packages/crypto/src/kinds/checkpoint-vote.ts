/**
 * `checkpoint_vote` (WIRE §6.6.2) on `nara/checkpoint/vote`: a nara's attestation of another's
 * proposed checkpoint, signed by the key pinned to the `attester` name (see `planAttestationFrom`);
 * `proposal_ts` must equal `as_of_time` (a voter always signs the proposal's time, and sets both
 * to it). A vote by its own subject (`attester == subject` or `attester_id == subject_id`) is a
 * `self-vote`: a self-attestation is a proposal, never a third-party vote.
 */
import { checkSignedIdPair } from '../key-checks.js'
import type { KeyLookup } from '../key-lookup.js'
import { colonInNames } from '../signed-names.js'
import { type CheckpointVoteLike, formatGoInt } from '../types.js'
import { reject } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import { planAttestationFrom } from './attestation.js'
import type { DecodedOf, MessageKind, VerifyOptions } from './kind.js'

function planVote(vote: CheckpointVoteLike, keys: KeyLookup): VerificationPlan {
  const attester = vote.attester ?? ''
  if ((vote.signature ?? '') === '') {
    return decided(reject('unsigned', 'vote has no signature', attester))
  }
  if (Number(vote.proposal_ts ?? 0) !== Number(vote.as_of_time ?? 0)) {
    return decided(
      reject('malformed', 'vote proposal_ts differs from the signed as_of_time', attester),
    )
  }
  const subject = vote.subject ?? ''
  const subjectId = vote.subject_id ?? ''
  if (
    (attester !== '' && attester === subject) ||
    (subjectId !== '' && subjectId === vote.attester_id)
  ) {
    return decided(reject('self-vote', 'a vote by its own subject is not a vote', attester))
  }
  const colon = colonInNames({ subject }, attester)
  if (colon) return decided(colon)
  const subjectIds = checkSignedIdPair(keys, subject, subjectId, 'subject_id', attester)
  if (subjectIds) return decided(subjectIds)
  return planAttestationFrom(vote, attester, vote.attester_id ?? '', keys)
}

type Vote = DecodedOf<'checkpoint_vote'>
const voteOf = (d: Vote) => d.message as CheckpointVoteLike

export const checkpointVoteKind: MessageKind<'checkpoint_vote'> = Object.freeze({
  name: 'checkpoint_vote',
  topic: 'checkpoint_vote',
  svc: null,
  signed: true,
  senderField: 'attester',
  sender: (d: Vote) => voteOf(d).attester ?? '',
  ids: (d: Vote) => {
    const v = voteOf(d)
    return [
      { name: v.attester, id: v.attester_id, field: 'attester_id', signed: true },
      { name: v.subject, id: v.subject_id, field: 'subject_id', signed: true },
    ]
  },
  timeNs: (d: Vote) => BigInt(formatGoInt(voteOf(d).as_of_time)) * 1_000_000_000n,
  replayKey: (d: Vote) => {
    const v = voteOf(d)
    return `${v.attester_id ?? ''}\u0000${v.subject_id ?? ''}\u0000${formatGoInt(v.round)}\u0000${formatGoInt(v.as_of_time)}`
  },
  plan: (d: Vote, keys: KeyLookup, _options?: VerifyOptions) => planVote(voteOf(d), keys),
  summary: (d: Vote) => {
    const v = voteOf(d)
    return `votes ${v.approved ? 'yes' : 'with own values'} on ${v.subject ?? ''}'s checkpoint (round ${formatGoInt(v.round)})`
  },
})
