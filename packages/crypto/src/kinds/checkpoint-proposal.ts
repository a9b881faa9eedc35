/**
 * `checkpoint_propose` (WIRE §6.6.1) on `nara/checkpoint/propose`: a nara proposes a checkpoint
 * of itself. A self-attestation (attester = subject, attester_id = subject_id) signed, over
 * `attestationMessage`, by the key pinned to the subject NAME (see `planAttestationFrom`).
 */
import type { KeyLookup } from '../key-lookup.js'
import { type CheckpointProposalLike, formatGoInt } from '../types.js'
import { reject } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import { planAttestationFrom } from './attestation.js'
import type { DecodedOf, MessageKind, VerifyOptions } from './kind.js'

function planProposal(proposal: CheckpointProposalLike, keys: KeyLookup): VerificationPlan {
  const subject = proposal.subject ?? ''
  if ((proposal.signature ?? '') === '') {
    return decided(reject('unsigned', 'proposal has no signature', subject))
  }
  if (proposal.attester !== subject || proposal.attester_id !== proposal.subject_id) {
    return decided(reject('sender-mismatch', 'a proposal must be a self-attestation', subject))
  }
  return planAttestationFrom(proposal, subject, proposal.subject_id ?? '', keys)
}

type Proposal = DecodedOf<'checkpoint_propose'>
const proposalOf = (d: Proposal) => d.message as CheckpointProposalLike

export const checkpointProposalKind: MessageKind<'checkpoint_propose'> = Object.freeze({
  name: 'checkpoint_propose',
  topic: 'checkpoint_propose',
  svc: null,
  signed: true,
  senderField: 'subject',
  sender: (d: Proposal) => proposalOf(d).subject ?? '',
  ids: (d: Proposal) => {
    const p = proposalOf(d)
    return [{ name: p.subject, id: p.subject_id, field: 'subject_id', signed: true }]
  },
  timeNs: (d: Proposal) => BigInt(formatGoInt(proposalOf(d).as_of_time)) * 1_000_000_000n,
  replayKey: (d: Proposal) => {
    const p = proposalOf(d)
    return `${p.subject_id ?? ''}\u0000${formatGoInt(p.round)}\u0000${formatGoInt(p.as_of_time)}`
  },
  plan: (d: Proposal, keys: KeyLookup, _options?: VerifyOptions) =>
    planProposal(proposalOf(d), keys),
  summary: (d: Proposal) => {
    const p = proposalOf(d)
    return `proposes a checkpoint (round ${formatGoInt(p.round)}, restarts ${formatGoInt(p.observation?.restarts)})`
  },
})
