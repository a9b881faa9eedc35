/**
 * `journey_complete` (WIRE §6.8) on `nara/plaza/journey_complete`: a journey's originator
 * announces its end. Unsigned.
 */
import { clip } from './kind.js'
import { unsignedKind } from './unsigned-kind.js'

export const journeyCompleteKind = unsignedKind({
  name: 'journey_complete',
  senderField: 'originator',
  sender: (d) => d.message.originator,
  summary: (d) => {
    const j = d.message
    return `journey ${clip(j.journey_id, 16)} of ${j.originator} complete (${j.hops?.length ?? 0} hops)`
  },
})
