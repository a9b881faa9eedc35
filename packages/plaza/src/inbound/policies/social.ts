/**
 * social: a signed SyncEvent that carries no key; it is checked with the key pinned for its
 * `emitter`. The signature covers `emitter`, so the key of a name known only from a newspaper
 * topic (a topic-only pin) may speak here too, and a valid signature upgrades that pin to a
 * provisional one. Fresh by `ts`, replay key the recomputed event ID.
 */
import type { SocialSyncEvent } from '@nara/protocol'
import type { Keyring } from '../../keyring.js'
import {
  type Admitted,
  type InboundContext,
  isFresh,
  type KindPolicy,
  planOrDrop,
} from '../policy.js'

type Social = { kind: 'social'; message: SocialSyncEvent }

/** `keyring` as crypto reads it, plus the topic-only pin of ONE name (a signed claim by it). */
function withWeakPin(keyring: Keyring, name: string, key: Uint8Array) {
  return {
    byName: (n: string) => (n === name ? key : keyring.byName(n)),
    byId: (id: string) => keyring.byId(id),
    nameForId: (id: string) => keyring.nameForId(id),
    idForName: (n: string) => keyring.idForName(n),
    idSigned: (id: string) => keyring.idSigned(id),
  }
}

function admit(
  decoded: Social,
  topic: string,
  nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const ev = decoded.message
  const emitter = ev.emitter ?? ''
  const keyring = ctx.keyring
  const pinned = keyring.byName(emitter)
  const weak = pinned === undefined ? keyring.weakByName(emitter) : undefined
  const view = weak === undefined ? keyring : withWeakPin(keyring, emitter, weak)
  const vp = planOrDrop(decoded, topic, emitter, undefined, ctx, view)
  if (vp === undefined) return undefined
  if (pinned === undefined && weak === undefined) {
    // crypto found a key through `emitter_id` alone: that key speaks for another name.
    return void ctx.report.drop(
      'unknown-sender',
      topic,
      'social',
      emitter,
      'emitter name not pinned',
    )
  }
  const id = vp.eventId as string
  if (!isFresh(ev.ts, nowMs, ctx)) return void ctx.report.drop('stale', topic, 'social', emitter)
  if (ctx.memories.ids.has(id, nowMs)) {
    return void ctx.report.drop('duplicate', topic, 'social', emitter)
  }
  return {
    kind: 'social',
    topic,
    sender: emitter,
    message: ev,
    plan: vp,
    offeredKey: undefined,
    pin: 'sender',
    // A topic-only pin is upgraded (pinned provisionally); a normal pin is confirmed.
    firstUse: weak !== undefined,
    claimedId: undefined,
    replay: ctx.memories.ids,
    replayKey: id,
    repeated: 'duplicate',
    authenticated: true,
    eventId: id,
  }
}

export const socialPolicy: KindPolicy<Social> = {
  kind: 'social',
  senderField: 'emitter',
  senderSigned: true,
  admit,
  // A sender already pinned: finishing it confirms, never takes, a pin.
  holdable: (a) => !a.firstUse,
  proved: () => ({ senderId: undefined, nameProof: 'signature', voters: undefined }),
}
