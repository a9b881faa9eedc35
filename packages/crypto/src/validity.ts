/** Go's `IsValid` rules for SyncEvent payloads (WIRE §4.2 "Valid when"). */
import { isCheckpointPayloadValid } from './checkpoint.js'
import type { SyncEventLike } from './types.js'

const SOCIAL_TYPES = new Set(['tease', 'observed', 'gossip', 'observation', 'service'])
const OBSERVATION_TYPES = new Set(['restart', 'first-seen', 'status-change'])
const ONLINE_STATES = new Set(['ONLINE', 'OFFLINE', 'MISSING'])

/** Go `SyncEvent.IsValid`: `svc` set, `ts ≠ 0`, and the selected payload's own rule. */
export function isSyncEventPayloadValid(ev: SyncEventLike): boolean {
  const ts = typeof ev.ts === 'bigint' ? ev.ts : Number.isInteger(ev.ts) ? BigInt(ev.ts) : 0n
  if (ev.svc === '' || ts === 0n) return false
  switch (ev.svc) {
    case 'hey-there':
      return !!ev.hey_there?.From && !!ev.hey_there.PublicKey
    case 'chau':
      return !!ev.chau?.From
    case 'social': {
      const p = ev.social
      return !!p && SOCIAL_TYPES.has(p.type ?? '') && !!p.actor && !!p.target
    }
    case 'ping': {
      const p = ev.ping
      return !!p && !!p.observer && !!p.target && (p.rtt ?? 0) > 0
    }
    case 'seen': {
      const p = ev.seen
      return !!p && !!p.observer && !!p.subject && !!p.via
    }
    case 'observation': {
      const p = ev.observation
      if (!p?.observer || !p.subject || !OBSERVATION_TYPES.has(p.type ?? '')) return false
      const importance = p.importance ?? 0
      if (importance < 1 || importance > 3) return false
      const start = Number(p.start_time ?? 0)
      if (p.type === 'restart') return start > 0 && Number(p.restart_num ?? 0) >= 0
      if (p.type === 'first-seen') return start > 0
      return ONLINE_STATES.has(p.online_state ?? '')
    }
    case 'checkpoint':
      return !!ev.checkpoint && isCheckpointPayloadValid(ev.checkpoint)
    default:
      return false
  }
}
