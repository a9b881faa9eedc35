/**
 * `chau` (WIRE §6.2): a SyncEvent (`svc: "chau"`) on `nara/plaza/chau`, sent when a nara leaves.
 * Signed content `chau:{From}:{PublicKey}`; the key is the embedded `PublicKey`, which must agree
 * with the key pinned for `From`. `ID` is an unsigned claim.
 */
import type { ChauLike } from '../types.js'
import { unsignedId } from './kind.js'
import { syncEventKind } from './sync-event-kind.js'

/** Go `ChauEvent.ContentString` (legacy format, no ID). */
export function chauContent(p: ChauLike): string {
  return `chau:${p.From ?? ''}:${p.PublicKey ?? ''}`
}

export const chauKind = syncEventKind({
  name: 'chau',
  topic: 'chau',
  svc: 'chau',
  payloadKey: 'chau',
  content: chauContent,
  valid: (p: ChauLike) => !!p.From,
  sender: (p) => p.From,
  senderField: 'chau.From',
  ids: (p) => [unsignedId(p.From, p.ID, 'chau.ID')],
  embeddedKey: (p) => ({ publicKey: p.PublicKey, id: p.ID }),
  summary: () => 'chau (leaving)',
})
