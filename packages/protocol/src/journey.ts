/**
 * JourneyCompletion (WIRE.md §6.8) on `nara/plaza/journey_complete`. Hop timestamps are seconds.
 * Hop field order is `nara, timestamp, signature, stamp` (all always present).
 */
import type { z } from 'zod'
import { int, optStr, str } from './fields.js'
import { goJsonInt, goJsonSlice, goJsonString } from './go-json.js'
import { goOptSlice, goStruct } from './go-schema.js'
import * as D from './tree-decoder.js'

export const journeyHopSchema = goStruct({
  nara: str(),
  timestamp: int(),
  signature: str(),
  stamp: str(),
})
export type JourneyHop = z.output<typeof journeyHopSchema>

export const journeyCompletionSchema = goStruct({
  journey_id: str(),
  originator: str(),
  reported_by: str(),
  message: optStr(),
  hops: goOptSlice(journeyHopSchema),
})
export type JourneyCompletion = z.output<typeof journeyCompletionSchema>

/** Encodes one hop as Go does (also the element format of a hop signature's `previous_hops`). */
export function encodeJourneyHop(h: JourneyHop): string {
  return `{"nara":${goJsonString(h.nara)},"timestamp":${goJsonInt(h.timestamp, 'timestamp')},"signature":${goJsonString(h.signature)},"stamp":${goJsonString(h.stamp)}}`
}

export function encodeJourneyCompletion(j: JourneyCompletion): string {
  return (
    `{"journey_id":${goJsonString(j.journey_id)}` +
    `,"originator":${goJsonString(j.originator)}` +
    `,"reported_by":${goJsonString(j.reported_by)}` +
    (j.message ? `,"message":${goJsonString(j.message)}` : '') +
    (j.hops && j.hops.length > 0 ? `,"hops":${goJsonSlice(j.hops, encodeJourneyHop)}` : '') +
    '}'
  )
}

export const journeyCompletionDecoder = D.struct<JourneyCompletion>({
  journey_id: D.str,
  originator: D.str,
  reported_by: D.str,
  message: D.optStr,
  hops: D.optSlice(
    D.struct<JourneyHop>({ nara: D.str, timestamp: D.int, signature: D.str, stamp: D.str }),
  ),
})
