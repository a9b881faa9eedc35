/**
 * newspaper: `Status.PublicKey` signs the raw Status bytes, which cover no name; the sender is
 * the topic name. A name pinned by a signed claim (hey_there/chau/howdy/social) may speak here
 * only with that key (its pin is confirmed, `Status.ID` bound like any claimed ID). An unknown
 * name may take a topic-only (weak) pin when its key speaks for no other name: delivered with
 * `nameProof: 'topic'`, `Status.ID` untrusted. Replay key the name and the Status hash
 * (`newspaperWindowMs`); once verified, `HostStats.Uptime` must fit the name's boot anchor
 * (`../newspaper-clock.ts`: the papers carry no time), else the paper is `stale`.
 */
import type { NewspaperMessage } from '@nara/protocol'
import { type Admitted, type InboundContext, type KindPolicy, planOrDrop } from '../policy.js'

type Newspaper = { kind: 'newspaper'; message: NewspaperMessage }

const uptimeOf = (n: NewspaperMessage): number => Number(n.envelope.Status.HostStats?.Uptime ?? 0)

function admit(
  decoded: Newspaper,
  topic: string,
  nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const n = decoded.message
  const name = n.name
  const status = n.envelope.Status
  const vp = planOrDrop(decoded, topic, name, status.PublicKey, ctx)
  if (vp === undefined) return undefined
  const topicOnly = vp.firstUse === true
  if (topicOnly && !ctx.pinning.topic('newspaper', topic, name, vp, false)) return undefined
  const replayKey = `${name}\u0000${ctx.hash.hex(n.statusBytes)}`
  if (ctx.memories.papers.has(replayKey, nowMs)) {
    return void ctx.report.drop('duplicate', topic, 'newspaper', name)
  }
  return {
    kind: 'newspaper',
    topic,
    sender: name,
    message: n,
    plan: vp,
    offeredKey: status.PublicKey,
    pin: topicOnly ? 'topic' : 'sender',
    firstUse: false,
    claimedId: status.ID,
    replay: ctx.memories.papers,
    replayKey,
    repeated: 'duplicate',
    authenticated: true,
    eventId: undefined,
  }
}

export const newspaperPolicy: KindPolicy<Newspaper> = {
  kind: 'newspaper',
  senderField: undefined,
  senderSigned: true,
  admit,
  verified(a, atMs, ctx) {
    const uptimeS = uptimeOf(a.message as NewspaperMessage)
    if (ctx.memories.newspaperClock.record(a.sender, uptimeS, atMs)) return true
    const detail = "Uptime does not fit the host's boot"
    ctx.report.drop('stale', a.topic, 'newspaper', a.sender, detail)
    return false
  },
  proved(a, _verdict, senderId, _atMs, ctx) {
    const name = a.sender
    // A topic-only pin proves the key, not the name (unless a signed claim pinned it meanwhile).
    const topicOnly = a.pin === 'topic' && ctx.keyring.byName(name) === undefined
    return { senderId, nameProof: topicOnly ? 'topic' : 'signature', voters: undefined }
  },
}
