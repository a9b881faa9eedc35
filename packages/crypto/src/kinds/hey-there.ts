/**
 * `hey_there` (WIRE §6.1): a SyncEvent (`svc: "hey-there"`) announcing a nara and its key on
 * `nara/plaza/hey_there`. Signed content `hey_there:{From}:{PublicKey}:{MeshIP}` (the legacy
 * format without the ID); the key is the embedded `PublicKey`, which must agree with the key
 * pinned for `From`. `ID` is an unsigned claim.
 */
import { keyFingerprint } from '../fingerprint.js'
import { type ContentSink, joinFields } from '../sync-event-preimage.js'
import type { HeyThereLike } from '../types.js'
import { syncEventKind } from './sync-event-kind.js'

/** The fields of Go's `HeyThereEvent.ContentString` (legacy format, no ID). */
function heyThereFields(p: HeyThereLike, out: ContentSink): void {
  out.field('hey_there')
  out.field(p.From)
  out.field(p.PublicKey)
  out.field(p.MeshIP)
}

/** Go `HeyThereEvent.ContentString`: `hey_there:{From}:{PublicKey}:{MeshIP}` (no ID). */
export function heyThereContent(p: HeyThereLike): string {
  return joinFields(heyThereFields, p)
}

export const heyThereKind = syncEventKind({
  name: 'hey_there',
  topic: 'hey_there',
  svc: 'hey-there',
  payloadKey: 'hey_there',
  content: heyThereContent,
  writeContent: heyThereFields,
  valid: (p: HeyThereLike) => !!p.From && !!p.PublicKey,
  sender: (p) => p.From,
  senderField: 'hey_there.From',
  idFields: [{ name: 'From', id: 'ID', field: 'hey_there.ID' }],
  embeddedKey: (p) => ({ publicKey: p.PublicKey, id: p.ID }),
  summary: (p) =>
    `hey there (key ${keyFingerprint(p.PublicKey)}${p.MeshIP ? `, mesh ${p.MeshIP}` : ''})`,
})
