/**
 * checkpoint_final: a SyncEvent carrying ≥ 5 voter signatures over the checkpoint values; its
 * `subject` is what ≥ 2 distinct voter KEYS attest to, not who sent it. Fresh by `ts`. The
 * voters' signatures cover neither `ts` nor `id`, so a copy with a new ts is the same checkpoint:
 * deduplicated on the event ID and on the checkpoint values (the latter is remembered). Pins
 * nothing; delivers the NaraIDs of the voters whose signatures verified.
 */
import type { CheckpointFinalVerdict } from '@nara/crypto'
import { attestationMessage, checkpointVoterAttestation } from '@nara/crypto/wire'
import type { CheckpointSyncEvent } from '@nara/protocol'
import {
  type Admitted,
  type InboundContext,
  isFresh,
  type KindPolicy,
  planOrDrop,
} from '../policy.js'

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
  if (!isFresh(ev.ts, nowMs, ctx)) return void report.drop('stale', topic, decoded.kind, cp.subject)
  const contentKey = `checkpoint_final:${attestationMessage(checkpointVoterAttestation(cp, ''))}`
  const ids = ctx.memories.ids
  if (ids.has(id, nowMs) || ids.has(contentKey, nowMs)) {
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
    replay: ids,
    replayKey: contentKey,
    repeated: 'duplicate',
    authenticated: true,
    eventId: id,
  }
}

export const checkpointFinalPolicy: KindPolicy<Final> = {
  kind: 'checkpoint_final',
  senderField: 'subject',
  senderSigned: false,
  admit,
  proved(a, verdict) {
    const senderId = (a.message as CheckpointSyncEvent).checkpoint.subject_id
    const voters = [...(verdict as CheckpointFinalVerdict).voterIds]
    return { senderId, nameProof: 'none', voters }
  },
}
