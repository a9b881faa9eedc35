/**
 * One-line, human summaries of plaza messages for `nara watch` and the web view. Never includes key material
 * beyond a short fingerprint.
 */
import type { PlazaEvent } from '@nara/plaza'
import { keyFingerprint } from './key-fingerprint.js'

const clip = (s: string, n = 60) => (s.length > n ? `${s.slice(0, n - 1)}…` : s)

export function summarize(event: PlazaEvent): string {
  switch (event.kind) {
    case 'hey_there': {
      const p = (event as PlazaEvent<'hey_there'>).message.hey_there
      return `hey there (key ${keyFingerprint(p.PublicKey)}${p.MeshIP ? `, mesh ${p.MeshIP}` : ''})`
    }
    case 'chau':
      return 'chau (leaving)'
    case 'howdy': {
      const h = (event as PlazaEvent<'howdy'>).message
      const n = h.Neighbors?.length ?? 0
      return `howdy to ${h.To} (seq ${h.Seq}, ${n} neighbour${n === 1 ? '' : 's'})`
    }
    case 'newspaper': {
      const s = (event as PlazaEvent<'newspaper'>).message.envelope.Status
      return `newspaper: buzz ${s.Buzz}, chattiness ${s.Chattiness}${s.Version ? `, v${s.Version}` : ''}${s.Flair ? ` ${s.Flair}` : ''}`
    }
    case 'social': {
      const s = (event as PlazaEvent<'social'>).message.social
      const reason = s.reason ? ` (${clip(s.reason, 40)})` : ''
      return `${s.type} ${s.target ?? ''}${reason}${s.witness ? `, witness ${s.witness}` : ''}`
    }
    case 'checkpoint_propose': {
      const p = (event as PlazaEvent<'checkpoint_propose'>).message
      return `proposes a checkpoint (round ${p.round}, restarts ${p.observation.restarts ?? 0})`
    }
    case 'checkpoint_vote': {
      const v = (event as PlazaEvent<'checkpoint_vote'>).message
      return `votes ${v.approved ? 'yes' : 'with own values'} on ${v.subject}'s checkpoint (round ${v.round})`
    }
    case 'checkpoint_final': {
      const c = (event as PlazaEvent<'checkpoint_final'>).message.checkpoint
      return `checkpoint of ${c.subject}: ${event.voters?.length ?? 0} verified voter(s)`
    }
    case 'ledger_request': {
      const r = (event as PlazaEvent<'ledger_request'>).message
      return `asks for ledger events (${r.Subjects?.length ?? 0} subject(s))`
    }
    case 'ledger_response': {
      const r = (event as PlazaEvent<'ledger_response'>).message
      return `sends ${r.Events?.length ?? 0} ledger event(s)`
    }
    case 'journey_complete': {
      const j = (event as PlazaEvent<'journey_complete'>).message
      return `journey ${clip(j.journey_id, 16)} of ${j.originator} complete (${j.hops?.length ?? 0} hops)`
    }
    default:
      return event.kind
  }
}
