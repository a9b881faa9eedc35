/**
 * checkpoint_propose and checkpoint_vote: an attestation signed by the key pinned to its
 * `attester` NAME by a signed claim (or, for a name without one, the key a signed claim bound to
 * `attester_id`: crypto's plan). Fresh when `as_of_time` is within ±`freshnessWindowMs`;
 * deduplicated on the SIGNED attestation text, so copies that differ only in unsigned fields
 * (round, approved, names) or in the signature's text encoding are one attestation. The signature
 * covers `attester_id`: once verified, the key claims that ID SIGNED (`pin: 'signed-id'`), which
 * wins over IDs squatted through unsigned fields. Pins no name.
 */
import { attestationMessage } from '@nara/crypto/wire'
import type { CheckpointProposal, CheckpointVote } from '@nara/protocol'
import { type Admitted, type InboundContext, type KindPolicy, planOrDrop } from '../policy.js'

type Attestation =
  | { kind: 'checkpoint_propose'; message: CheckpointProposal }
  | { kind: 'checkpoint_vote'; message: CheckpointVote }

function admit(
  decoded: Attestation,
  topic: string,
  nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const kind = decoded.kind
  const a = decoded.message
  const vp = planOrDrop(decoded, topic, a.attester, undefined, ctx)
  if (vp === undefined) return undefined
  if (Math.abs(Number(a.as_of_time) * 1000 - nowMs) > ctx.freshnessWindowMs) {
    return void ctx.report.drop('stale', topic, kind, a.attester, 'as_of_time outside the window')
  }
  const replayKey = `${kind}:${attestationMessage(a)}`
  if (ctx.memories.ids.has(replayKey, nowMs)) {
    return void ctx.report.drop('duplicate', topic, kind, a.attester)
  }
  return {
    kind,
    topic,
    sender: a.attester,
    message: a,
    plan: vp,
    offeredKey: undefined,
    pin: 'signed-id',
    firstUse: false,
    claimedId: a.attester_id,
    replay: ctx.memories.ids,
    replayKey,
    repeated: 'duplicate',
    authenticated: true,
    eventId: undefined,
  }
}

function proved(
  a: Admitted,
  _v: unknown,
  senderId: string | undefined,
  _at: number,
  ctx: InboundContext,
) {
  const m = a.message as CheckpointProposal | CheckpointVote
  // crypto verified with the key pinned to the attester name when there is one.
  const named = ctx.keyring.byName(m.attester) !== undefined
  return { senderId, nameProof: named ? 'signature' : 'none', voters: undefined } as const
}

export const proposalPolicy: KindPolicy<Extract<Attestation, { kind: 'checkpoint_propose' }>> = {
  kind: 'checkpoint_propose',
  senderField: 'attester',
  senderSigned: false,
  admit,
  proved,
}

export const votePolicy: KindPolicy<Extract<Attestation, { kind: 'checkpoint_vote' }>> = {
  kind: 'checkpoint_vote',
  senderField: 'attester',
  senderSigned: false,
  admit,
  proved,
}
