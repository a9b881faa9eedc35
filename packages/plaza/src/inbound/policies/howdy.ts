/**
 * howdy: `Me.PublicKey` signs `howdy:{From}:{To}:{Seq}`; `You`, `Neighbors` and `Me` are unsigned
 * hints. Fresh only within `howdyWindowMs` of a verified hey_there from `To` (Go restarts Seq at
 * 1 each round; `howdyNeedsHeyThere: false` lifts it); replay key From/To/Seq, remembered for
 * the howdy window (a repeat is `repeated-seq`: a rejoin's round repeats Seqs, not an attack). Pinned as a signed-name claim with `Me.ID`.
 */
import type { HowdyEvent } from '@nara/protocol'
import { type Admitted, type InboundContext, type KindPolicy, planOrDrop } from '../policy.js'

type Howdy = { kind: 'howdy'; message: HowdyEvent }

function admit(
  decoded: Howdy,
  topic: string,
  nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const h = decoded.message
  const from = h.From
  const report = ctx.report
  if (h.Signature === '') return void report.drop('unsigned', topic, 'howdy', from)
  if (ctx.howdyNeedsHeyThere && !ctx.memories.heyThere.has(h.To, nowMs)) {
    return void report.drop('stale', topic, 'howdy', from, 'no recent hey_there from To')
  }
  const replayKey = `${from}\u0000${h.To}\u0000${String(h.Seq)}`
  if (ctx.memories.howdys.has(replayKey, nowMs)) {
    return void report.drop('repeated-seq', topic, 'howdy', from, 'repeated Seq')
  }
  const vp = planOrDrop(decoded, topic, from, h.Me.PublicKey, ctx)
  if (vp === undefined || !ctx.pinning.pinnable('howdy', topic, from, vp)) return undefined
  return {
    kind: 'howdy',
    topic,
    sender: from,
    message: h,
    plan: vp,
    offeredKey: h.Me.PublicKey,
    pin: 'sender',
    firstUse: vp.firstUse === true,
    claimedId: h.Me.ID,
    replay: ctx.memories.howdys,
    replayKey,
    repeated: 'repeated-seq',
    authenticated: true,
    eventId: undefined,
  }
}

export const howdyPolicy: KindPolicy<Howdy> = {
  kind: 'howdy',
  senderField: 'From',
  senderSigned: true,
  admit,
  proved: (_a, _verdict, senderId) => ({ senderId, nameProof: 'signature', voters: undefined }),
}
