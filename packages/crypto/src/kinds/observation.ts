/**
 * `observation` (gossip only, no topic): a SyncEvent (`svc: "observation"`) about another nara's
 * restarts, first sighting or online state. Signed content: `{subject}:restart:{restart_num}:
 * {start_time}` for restarts, else `{observer}:{subject}:{type}:{online_state}:{start_time}:
 * {restart_num}`; the key is the one pinned for the emitter, who must be the `observer`. Times in
 * seconds.
 */
import { formatGoInt, type ObservationLike } from '../types.js'
import { syncEventKind } from './sync-event-kind.js'

const OBSERVATION_TYPES = new Set(['restart', 'first-seen', 'status-change'])
const ONLINE_STATES = new Set(['ONLINE', 'OFFLINE', 'MISSING'])

/** Go `ObservationEventPayload.ContentString`. */
export function observationContent(p: ObservationLike): string {
  if (p.type === 'restart') {
    return `${p.subject ?? ''}:restart:${formatGoInt(p.restart_num)}:${formatGoInt(p.start_time)}`
  }
  return (
    `${p.observer ?? ''}:${p.subject ?? ''}:${p.type ?? ''}:${p.online_state ?? ''}:` +
    `${formatGoInt(p.start_time)}:${formatGoInt(p.restart_num)}`
  )
}

/** Go `ObservationEventPayload.IsValid`. */
function isValid(p: ObservationLike): boolean {
  if (!p.observer || !p.subject || !OBSERVATION_TYPES.has(p.type ?? '')) return false
  const importance = p.importance ?? 0
  if (importance < 1 || importance > 3) return false
  const start = Number(p.start_time ?? 0)
  if (p.type === 'restart') return start > 0 && Number(p.restart_num ?? 0) >= 0
  if (p.type === 'first-seen') return start > 0
  return ONLINE_STATES.has(p.online_state ?? '')
}

export const observationKind = syncEventKind({
  name: 'observation',
  topic: null,
  svc: 'observation',
  payloadKey: 'observation',
  content: observationContent,
  valid: isValid,
  sender: (p) => p.observer,
  senderField: 'observation.observer',
  names: [
    ['observation.observer', 'observer'],
    ['observation.subject', 'subject'],
  ],
  idFields: [
    { name: 'observer', id: 'observer_id', field: 'observation.observer_id' },
    { name: 'subject', id: 'subject_id', field: 'observation.subject_id' },
  ],
  summary: (p) => `observes ${p.subject ?? ''}: ${p.type ?? ''}`,
})
