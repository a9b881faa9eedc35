/**
 * `ledger_response` (WIRE §6.7) on `nara/ledger/{name}/response`: `From` answers `name` with
 * legacy social events. Unsigned (the events' own signatures are legacy and unchecked).
 */
import { unsignedKind } from './unsigned-kind.js'

export const ledgerResponseKind = unsignedKind({
  name: 'ledger_response',
  senderField: 'From',
  sender: (d) => d.message.From,
  summary: (d) => `sends ${d.message.Events?.length ?? 0} ledger event(s)`,
})
