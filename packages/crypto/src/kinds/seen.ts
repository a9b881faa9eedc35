/**
 * `seen` (gossip only, no topic): a SyncEvent (`svc: "seen"`) saying a nara was seen, and how.
 * Signed content `seen:{observer}:{subject}:{via}`; the key is the one pinned for the emitter,
 * who must be the `observer`.
 */
import type { SeenLike } from '../types.js'
import { syncEventKind } from './sync-event-kind.js'

/** Go `SeenEvent.ContentString`. */
export function seenContent(p: SeenLike): string {
  return `seen:${p.observer ?? ''}:${p.subject ?? ''}:${p.via ?? ''}`
}

export const seenKind = syncEventKind({
  name: 'seen',
  topic: null,
  svc: 'seen',
  payloadKey: 'seen',
  content: seenContent,
  valid: (p: SeenLike) => !!p.observer && !!p.subject && !!p.via,
  sender: (p) => p.observer,
  senderField: 'seen.observer',
  names: [
    ['seen.observer', 'observer'],
    ['seen.subject', 'subject'],
  ],
  idFields: [
    { name: 'observer', id: 'observer_id', field: 'seen.observer_id' },
    { name: 'subject', id: 'subject_id', field: 'seen.subject_id' },
  ],
  summary: (p) => `saw ${p.subject ?? ''} via ${p.via ?? ''}`,
})
