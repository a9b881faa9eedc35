/**
 * `hey_there` (WIRE §6.1): a SyncEvent (`svc: "hey-there"`) announcing a nara and its key on
 * `nara/plaza/hey_there`. Signed content `hey_there:{From}:{PublicKey}:{MeshIP}` (the legacy
 * format without the ID); the key is the embedded `PublicKey`, which must agree with the key
 * pinned for `From`. `ID` is an unsigned claim.
 */
import { keyFingerprint } from '../fingerprint.js'
import type { HeyThereLike } from '../types.js'
import { unsignedId } from './kind.js'
import { syncEventKind } from './sync-event-kind.js'

/** Go `HeyThereEvent.ContentString` (legacy format, no ID). */
export function heyThereContent(p: HeyThereLike): string {
  return `hey_there:${p.From ?? ''}:${p.PublicKey ?? ''}:${p.MeshIP ?? ''}`
}

export const heyThereKind = syncEventKind({
  name: 'hey_there',
  topic: 'hey_there',
  svc: 'hey-there',
  payloadKey: 'hey_there',
  content: heyThereContent,
  valid: (p: HeyThereLike) => !!p.From && !!p.PublicKey,
  sender: (p) => p.From,
  senderField: 'hey_there.From',
  ids: (p) => [unsignedId(p.From, p.ID, 'hey_there.ID')],
  embeddedKey: (p) => ({ publicKey: p.PublicKey, id: p.ID }),
  summary: (p) =>
    `hey there (key ${keyFingerprint(p.PublicKey)}${p.MeshIP ? `, mesh ${p.MeshIP}` : ''})`,
})
