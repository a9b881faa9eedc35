/**
 * `ping` (gossip only, no topic): a SyncEvent (`svc: "ping"`) carrying a measured round trip.
 * Signed content `{observer}:{target}:{rtt %.1f}`; the key is the one pinned for the emitter, who
 * must be the `observer`. `rtt` is in milliseconds.
 */
import { formatRttGo } from '../rtt-format.js'
import type { PingLike } from '../types.js'
import { syncEventKind } from './sync-event-kind.js'

/** Go `PingObservation.ContentString`. */
export function pingContent(p: PingLike): string {
  return `${p.observer ?? ''}:${p.target ?? ''}:${formatRttGo(p.rtt ?? 0)}`
}

export const pingKind = syncEventKind({
  name: 'ping',
  topic: null,
  svc: 'ping',
  payloadKey: 'ping',
  content: pingContent,
  valid: (p: PingLike) => !!p.observer && !!p.target && (p.rtt ?? 0) > 0,
  sender: (p) => p.observer,
  senderField: 'ping.observer',
  names: [
    ['ping.observer', 'observer'],
    ['ping.target', 'target'],
  ],
  idFields: [
    { name: 'observer', id: 'observer_id', field: 'ping.observer_id' },
    { name: 'target', id: 'target_id', field: 'ping.target_id' },
  ],
  summary: (p) => `ping ${p.target ?? ''}: ${formatRttGo(p.rtt ?? 0)} ms`,
})
