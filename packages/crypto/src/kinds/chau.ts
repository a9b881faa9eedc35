/**
 * `chau` (WIRE §6.2): a SyncEvent (`svc: "chau"`) on `nara/plaza/chau`, sent when a nara leaves.
 * Signed content `chau:{From}:{PublicKey}`; the key is the embedded `PublicKey`, which must agree
 * with the key pinned for `From`. `ID` is an unsigned claim.
 */
import { type ContentSink, joinFields } from '../sync-event-preimage.js'
import type { ChauLike } from '../types.js'
import { syncEventKind } from './sync-event-kind.js'

/** The fields of Go's `ChauEvent.ContentString` (legacy format, no ID). */
function chauFields(p: ChauLike, out: ContentSink): void {
  out.field('chau')
  out.field(p.From)
  out.field(p.PublicKey)
}

/** Go `ChauEvent.ContentString`: `chau:{From}:{PublicKey}` (no ID). */
export function chauContent(p: ChauLike): string {
  return joinFields(chauFields, p)
}

export const chauKind = syncEventKind({
  name: 'chau',
  topic: 'chau',
  svc: 'chau',
  payloadKey: 'chau',
  content: chauContent,
  writeContent: chauFields,
  valid: (p: ChauLike) => !!p.From,
  sender: (p) => p.From,
  senderField: 'chau.From',
  idFields: [{ name: 'From', id: 'ID', field: 'chau.ID' }],
  embeddedKey: (p) => ({ publicKey: p.PublicKey, id: p.ID }),
  summary: () => 'chau (leaving)',
})
