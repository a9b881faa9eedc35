/**
 * `social` (WIRE §6.5): a SyncEvent (`svc: "social"`) on `nara/plaza/social` (teases,
 * observations, gossip). Signed content `{type}:{actor}:{target}:{reason}:{witness}`; the key is
 * the one pinned for the `emitter`, which is the sender. Go's own constructor may sign an event
 * whose `actor` is another nara (it verifies against the emitter's key): the signature then says
 * only that the emitter CLAIMS the actor did it, so `actor` is an unverified claim (it differs
 * from the sender exactly when the emitter speaks about someone else). `actor_id`/`target_id` are
 * unsigned.
 */
import type { SocialLike } from '../types.js'
import { clip, unsignedId } from './kind.js'
import { syncEventKind } from './sync-event-kind.js'

const SOCIAL_TYPES = new Set(['tease', 'observed', 'gossip', 'observation', 'service'])

/** Go `SocialEventPayload.ContentString`. */
export function socialContent(p: SocialLike): string {
  return `${p.type ?? ''}:${p.actor ?? ''}:${p.target ?? ''}:${p.reason ?? ''}:${p.witness ?? ''}`
}

export const socialKind = syncEventKind({
  name: 'social',
  topic: 'social',
  svc: 'social',
  payloadKey: 'social',
  content: socialContent,
  valid: (p: SocialLike) => SOCIAL_TYPES.has(p.type ?? '') && !!p.actor && !!p.target,
  sender: (_p, ev) => ev.emitter,
  senderField: 'emitter',
  names: (p) => ({
    'social.actor': p.actor,
    'social.target': p.target,
    'social.witness': p.witness,
  }),
  ids: (p) => [
    unsignedId(p.actor, p.actor_id, 'social.actor_id'),
    unsignedId(p.target, p.target_id, 'social.target_id'),
  ],
  summary: (p) => {
    const reason = p.reason ? ` (${clip(p.reason, 40)})` : ''
    return `${p.type} ${p.target ?? ''}${reason}${p.witness ? `, witness ${p.witness}` : ''}`
  },
})
