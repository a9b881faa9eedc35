/**
 * What the speaker port (`speaker-port.ts`) sends: the agent's drafts become the speaker's
 * signed messages, and each message that went out is a `published` event. Every attestation is
 * signed once: the own proposal by the checkpoint service (its final lists that signature first)
 * and sent as it is; votes by the speaker.
 */
import { computeEventId } from '@nara/crypto/wire'
import type { Receiver, Speaker } from '@nara/plaza'
import {
  type CheckpointPayload,
  type CheckpointSyncEvent,
  encodeCheckpointProposal,
  TOPICS,
} from '@nara/protocol'
import type { PlazaPort } from './plaza-port.js'
import type { LocalEvents } from './speaker-port-events.js'

export type PortPublishing = Pick<
  PlazaPort,
  | 'sayHeyThere'
  | 'sayChau'
  | 'publishNewspaper'
  | 'publishHowdy'
  | 'publishSocial'
  | 'publishCheckpointProposal'
  | 'publishCheckpointVote'
  | 'publishCheckpointFinal'
>

export interface PortPublishingSources {
  receiver: Receiver
  speaker: Speaker
  local: LocalEvents
  nowMs: () => number
}

/**
 * The port's publishing methods. Every hey_there counts as published: the speaker's join ones and
 * those of `sayHeyThere()`.
 */
export function portPublishing(src: PortPublishingSources): PortPublishing {
  const { receiver, speaker, local } = src
  const sent = async (topic: string, p: Promise<boolean>) => {
    if (await p) local.emit('published', { topic })
  }
  speaker.on('hey-there-sent', () => local.emit('published', { topic: 'hey_there' }))
  return {
    async sayHeyThere() {
      await speaker.sayHeyThere()
    },
    async sayChau() {
      const ok = await speaker.sayChau()
      if (ok) local.emit('published', { topic: 'chau' })
      return ok
    },
    publishNewspaper: (status) => sent('newspaper', speaker.publishNewspaper(status)),
    publishHowdy: (h) =>
      sent(
        'howdy',
        speaker.publishHowdy({
          to: h.To,
          seq: Number(h.Seq),
          you: h.You,
          neighbors: h.Neighbors,
          me: h.Me,
        }),
      ),
    publishSocial: (s) =>
      sent(
        'social',
        speaker.publishSocial({
          type: s.type,
          actor: speaker.identity.name,
          actor_id: speaker.identity.naraId,
          target: s.target,
          target_id: s.target_id,
          reason: s.reason,
        }),
      ),
    // Signed already (deps.signProposal): sent as it is, not signed a second time.
    publishCheckpointProposal: (p) =>
      sent(
        'checkpoint_propose',
        receiver.publish(TOPICS.checkpointPropose, encodeCheckpointProposal(p)),
      ),
    // Votes come unsigned: the speaker signs them (attester = us).
    publishCheckpointVote: (v) => sent('checkpoint_vote', speaker.publishCheckpointVote(v)),
    publishCheckpointFinal(payload) {
      const event = finalEvent(payload, src.nowMs())
      void sent('checkpoint_final', speaker.publishCheckpointFinal(event))
      return event.id
    },
  }
}

/** The final as an unsigned SyncEvent stamped now (ns), with its computed id. */
function finalEvent(payload: CheckpointPayload, nowMs: number): CheckpointSyncEvent {
  const event: CheckpointSyncEvent = {
    id: '',
    ts: BigInt(nowMs) * 1_000_000n,
    svc: 'checkpoint',
    checkpoint: payload,
  }
  event.id = computeEventId(event)
  return event
}
