/**
 * hey_there and chau: signed SyncEvents that carry their sender's key (`PublicKey`) and NaraID.
 * Fresh by `ts` (±`freshnessWindowMs`), replay key the recomputed event ID, pinned as a signed-name
 * claim (first use: the embedded key, provisionally) with the unsigned `ID` bound to that key.
 * A verified hey_there opens a howdy round for its sender and may reset its newspaper Uptime (a
 * restart).
 */
import type { ChauSyncEvent, HeyThereSyncEvent } from '@nara/protocol'
import type { Admitted, EventFacts, InboundContext, KindPolicy } from '../policy.js'
import { isFresh, planOrDrop } from '../policy.js'

type Presence =
  | { kind: 'hey_there'; message: HeyThereSyncEvent }
  | { kind: 'chau'; message: ChauSyncEvent }

function admit(
  decoded: Presence,
  topic: string,
  nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const ev = decoded.message
  const kind = decoded.kind
  const body = decoded.kind === 'hey_there' ? decoded.message.hey_there : decoded.message.chau
  const from = body.From
  const vp = planOrDrop(decoded, topic, from, body.PublicKey, ctx)
  if (vp === undefined) return undefined
  const id = vp.eventId as string
  if (!isFresh(ev.ts, nowMs, ctx)) return void ctx.report.drop('stale', topic, kind, from)
  if (ctx.memories.ids.has(id, nowMs)) return void ctx.report.drop('duplicate', topic, kind, from)
  if (!ctx.pinning.pinnable(kind, topic, from, vp)) return undefined
  return {
    kind,
    topic,
    sender: from,
    message: ev,
    plan: vp,
    offeredKey: body.PublicKey,
    pin: 'sender',
    firstUse: vp.firstUse === true,
    claimedId: body.ID,
    replay: ctx.memories.ids,
    replayKey: id,
    repeated: 'duplicate',
    authenticated: true,
    eventId: id,
  }
}

function facts(senderId: string | undefined): EventFacts {
  return { senderId, nameProof: 'signature', voters: undefined }
}

export const heyTherePolicy: KindPolicy<Extract<Presence, { kind: 'hey_there' }>> = {
  kind: 'hey_there',
  senderField: 'emitter',
  senderSigned: true,
  admit,
  proved(a, _verdict, senderId, atMs, ctx) {
    // A new howdy round for the sender, and a restart may reset its newspaper Uptime.
    const by = { owner: a.sender, standing: ctx.keyring.isDurable(a.sender) }
    ctx.memories.heyThere.refresh(a.sender, atMs, by)
    ctx.memories.newspaperClock.forget(a.sender)
    return facts(senderId)
  },
}

export const chauPolicy: KindPolicy<Extract<Presence, { kind: 'chau' }>> = {
  kind: 'chau',
  senderField: 'emitter',
  senderSigned: true,
  admit,
  proved: (_a, _verdict, senderId) => facts(senderId),
}
