/**
 * Ledger boot-recovery messages (WIRE.md §6.7), unsigned, PascalCase keys. Response entries are
 * the legacy SocialEvent with a nanosecond `Timestamp` (bigint).
 */
import type { z } from 'zod'
import { int64Big, str, strSlice } from './fields.js'
import { goJsonInt64, goJsonSlice, goJsonString } from './go-json.js'
import { goSlice, goStruct } from './go-schema.js'
import * as D from './tree-decoder.js'

export const ledgerRequestSchema = goStruct({ From: str(), Subjects: strSlice() })
export type LedgerRequest = z.output<typeof ledgerRequestSchema>

export const legacySocialEventSchema = goStruct({
  ID: str(),
  Timestamp: int64Big(),
  Type: str(),
  Actor: str(),
  Target: str(),
  Reason: str(),
  Witness: str(),
  Signature: str(),
})
export type LegacySocialEvent = z.output<typeof legacySocialEventSchema>

export const ledgerResponseSchema = goStruct({
  From: str(),
  Events: goSlice(legacySocialEventSchema),
})
export type LedgerResponse = z.output<typeof ledgerResponseSchema>

const writeStr = (s: string) => goJsonString(s)

function encodeLegacySocialEvent(e: LegacySocialEvent): string {
  return (
    `{"ID":${goJsonString(e.ID)},"Timestamp":${goJsonInt64(e.Timestamp, 'Timestamp')}` +
    `,"Type":${goJsonString(e.Type)},"Actor":${goJsonString(e.Actor)}` +
    `,"Target":${goJsonString(e.Target)},"Reason":${goJsonString(e.Reason)}` +
    `,"Witness":${goJsonString(e.Witness)},"Signature":${goJsonString(e.Signature)}}`
  )
}

export function encodeLedgerRequest(r: LedgerRequest): string {
  return `{"From":${goJsonString(r.From)},"Subjects":${goJsonSlice(r.Subjects, writeStr)}}`
}

export function encodeLedgerResponse(r: LedgerResponse): string {
  return `{"From":${goJsonString(r.From)},"Events":${goJsonSlice(r.Events, encodeLegacySocialEvent)}}`
}

export const ledgerRequestDecoder = D.struct<LedgerRequest>({
  From: D.str,
  Subjects: D.slice(D.str),
})
export const ledgerResponseDecoder = D.struct<LedgerResponse>({
  From: D.str,
  Events: D.slice(
    D.struct<LegacySocialEvent>({
      ID: D.str,
      Timestamp: D.int64Big,
      Type: D.str,
      Actor: D.str,
      Target: D.str,
      Reason: D.str,
      Witness: D.str,
      Signature: D.str,
    }),
  ),
})
