/**
 * `ledger_request` (WIRE §6.7) on `nara/ledger/{name}/request`: `From` asks `name` for the legacy
 * social events about `Subjects`. Unsigned.
 */
import { unsignedKind } from './unsigned-kind.js'

export const ledgerRequestKind = unsignedKind({
  name: 'ledger_request',
  senderField: 'From',
  sender: (d) => d.message.From,
  summary: (d) => `asks for ledger events (${d.message.Subjects?.length ?? 0} subject(s))`,
})
