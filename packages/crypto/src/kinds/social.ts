/**
 * `social` (WIRE §6.5): a SyncEvent (`svc: "social"`) on `nara/plaza/social` (teases,
 * observations, gossip). Signed content `{type}:{actor}:{target}:{reason}:{witness}`; the key is
 * the one pinned for the `emitter`, which is the sender. Go's own constructor may sign an event
 * whose `actor` is another nara (it verifies against the emitter's key): the signature then says
 * only that the emitter CLAIMS the actor did it, so `actor` is an unverified claim (it differs
 * from the sender exactly when the emitter speaks about someone else). `actor_id`/`target_id` are
 * unsigned.
 */
import { type ContentSink, joinFields } from '../sync-event-preimage.js'
import type { SocialLike } from '../types.js'
import { clip } from './kind.js'
import { syncEventKind } from './sync-event-kind.js'

const SOCIAL_TYPES = new Set(['tease', 'observed', 'gossip', 'observation', 'service'])

/** The fields of Go's `SocialEventPayload.ContentString`. */
function socialFields(p: SocialLike, out: ContentSink): void {
  out.field(p.type)
  out.field(p.actor)
  out.field(p.target)
  out.field(p.reason)
  out.field(p.witness)
}

/** Go `SocialEventPayload.ContentString`: `{type}:{actor}:{target}:{reason}:{witness}`. */
export function socialContent(p: SocialLike): string {
  return joinFields(socialFields, p)
}

export const socialKind = syncEventKind({
  name: 'social',
  topic: 'social',
  svc: 'social',
  payloadKey: 'social',
  content: socialContent,
  writeContent: socialFields,
  valid: (p: SocialLike) => SOCIAL_TYPES.has(p.type ?? '') && !!p.actor && !!p.target,
  sender: (_p, ev) => ev.emitter,
  senderField: 'emitter',
  names: [
    ['social.actor', 'actor'],
    ['social.target', 'target'],
    ['social.witness', 'witness'],
  ],
  idFields: [
    { name: 'actor', id: 'actor_id', field: 'social.actor_id' },
    { name: 'target', id: 'target_id', field: 'social.target_id' },
  ],
  summary: (p) => {
    const reason = p.reason ? ` (${clip(p.reason, 40)})` : ''
    return `${p.type} ${p.target ?? ''}${reason}${p.witness ? `, witness ${p.witness}` : ''}`
  },
})
