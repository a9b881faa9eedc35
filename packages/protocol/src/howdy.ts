/**
 * HowdyEvent (WIRE.md §6.3): the welcome reply to a hey_there, PascalCase keys, nothing omitted.
 */
import type { z } from 'zod'
import { str, wideInt } from './fields.js'
import { goJsonInt, goJsonSlice, goJsonString } from './go-json.js'
import { goSlice, goStruct } from './go-schema.js'
import {
  encodeNaraObservation,
  encodeNaraStatus,
  naraObservationDecoder,
  naraObservationSchema,
  naraStatusDecoder,
  naraStatusSchema,
} from './nara-status.js'
import * as D from './tree-decoder.js'

export const neighborInfoSchema = goStruct({
  Name: str(),
  PublicKey: str(),
  MeshIP: str(),
  ID: str(),
  Observation: naraObservationSchema.default(() => ({})),
})
export type NeighborInfo = z.output<typeof neighborInfoSchema>

/**
 * A howdy. `Neighbors` is `null` when there are none (Go's nil slice). `Me.Observations` must be an
 * object (possibly `{}`) when we send: a `null` there can crash Go receivers (WIRE.md §6.3).
 */
export const howdyEventSchema = goStruct({
  From: str(),
  To: str(),
  /** int64; Go naras may send any value up to int64 max (held losslessly). */
  Seq: wideInt(),
  You: naraObservationSchema.default(() => ({})),
  Neighbors: goSlice(neighborInfoSchema),
  Me: naraStatusSchema,
  Signature: str(),
})
export type HowdyEvent = z.output<typeof howdyEventSchema>

function encodeNeighbor(n: NeighborInfo): string {
  return `{"Name":${goJsonString(n.Name)},"PublicKey":${goJsonString(n.PublicKey)},"MeshIP":${goJsonString(n.MeshIP)},"ID":${goJsonString(n.ID)},"Observation":${encodeNaraObservation(n.Observation)}}`
}

/** Encodes a howdy exactly as Go does. */
export function encodeHowdy(h: HowdyEvent): string {
  return (
    `{"From":${goJsonString(h.From)}` +
    `,"To":${goJsonString(h.To)}` +
    `,"Seq":${goJsonInt(h.Seq, 'Seq')}` +
    `,"You":${encodeNaraObservation(h.You)}` +
    `,"Neighbors":${goJsonSlice(h.Neighbors, encodeNeighbor)}` +
    `,"Me":${encodeNaraStatus(h.Me)}` +
    `,"Signature":${goJsonString(h.Signature)}}`
  )
}

export const howdyEventDecoder: D.Dec<HowdyEvent> = D.struct<HowdyEvent>({
  From: D.str,
  To: D.str,
  Seq: D.wideInt,
  You: naraObservationDecoder,
  Neighbors: D.slice(
    D.struct<NeighborInfo>({
      Name: D.str,
      PublicKey: D.str,
      MeshIP: D.str,
      ID: D.str,
      Observation: naraObservationDecoder,
    }),
  ),
  Me: naraStatusDecoder,
  Signature: D.str,
})
