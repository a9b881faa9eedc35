/**
 * checkpoint_final: a SyncEvent carrying ≥ 5 voter signatures over the checkpoint values, one
 * of them the subject's own by the key pinned to its name, and ≥ 2 distinct voter KEYS (crypto's
 * plan). The voters' signatures cover neither `ts` nor `id`, so freshness comes from the signed
 * `as_of_time` (within [now - freshnessWindowMs - FINAL_LAG_MS, now + freshnessWindowMs]), and
 * a copy with a new ts is the same checkpoint: deduplicated on the checkpoint values, remembered
 * for as long as they are fresh. Pins nothing; delivers the NaraIDs of the voters whose
 * signatures verified.
 */
import type { CheckpointFinalVerdict } from '@nara/crypto'
import { attestationMessage, checkpointVoterAttestation } from '@nara/crypto/wire'
import type { CheckpointSyncEvent } from '@nara/protocol'
import { type Admitted, type InboundContext, type KindPolicy, planOrDrop } from '../policy.js'
import { FINAL_LAG_MS } from '../replay-memories.js'

type Final = { kind: 'checkpoint_final'; message: CheckpointSyncEvent }

function admit(
  decoded: Final,
  topic: string,
  nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const ev = decoded.message
  const cp = ev.checkpoint
  const report = ctx.report
  const vp = planOrDrop(decoded, topic, cp.subject, undefined, ctx)
  if (vp === undefined) return undefined
  const id = vp.eventId as string
  const asOfMs = Number(cp.as_of_time) * 1000
  const window = ctx.freshnessWindowMs
  if (asOfMs < nowMs - window - FINAL_LAG_MS || asOfMs > nowMs + window) {
    return void report.drop(
      'stale',
      topic,
      decoded.kind,
      cp.subject,
      'as_of_time outside the window',
    )
  }
  const contentKey = `checkpoint_final:${attestationMessage(checkpointVoterAttestation(cp, ''))}`
  const finals = ctx.memories.finals
  if (finals.has(contentKey, nowMs)) {
    return void report.drop('duplicate', topic, decoded.kind, cp.subject)
  }
  return {
    kind: 'checkpoint_final',
    topic,
    sender: cp.subject,
    message: ev,
    plan: vp,
    offeredKey: undefined,
    pin: 'none',
    firstUse: false,
    claimedId: undefined,
    replay: finals,
    replayKey: contentKey,
    repeated: 'duplicate',
    authenticated: true,
    eventId: id,
  }
}

export const checkpointFinalPolicy: KindPolicy<Final> = {
  kind: 'checkpoint_final',
  senderField: 'checkpoint.subject',
  senderSigned: false,
  admit,
  proved(a, verdict) {
    const senderId = (a.message as CheckpointSyncEvent).checkpoint.subject_id
    const voters = [...(verdict as CheckpointFinalVerdict).voterIds]
    // crypto required the subject's own signature by the key pinned to the subject name.
    return { senderId, nameProof: 'signature', voters }
  },
}
