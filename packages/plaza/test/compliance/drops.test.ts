/**
 * Drops of signed messages, against every configuration (one nara or a town, inline or
 * worker-pool verification) on aedes and on mosquitto: each message published raw by an attacker.
 */
import {
  burstWithForgery,
  checkpointVoterOnce,
  howdyRoundMemory,
  rateLimitsPerSender,
  replayMemoryFailsClosed,
  unsignedKinds,
} from './drop-checks.js'
import { describeMatrix } from './matrix.js'

describeMatrix('signed-message drops', {
  'rate-limits per claimed sender: a flood from one name does not starve another':
    rateLimitsPerSender,
  'remembers a howdy From/To/Seq for the howdy window only: Seq 1 of the next round after a new hey_there is fresh':
    howdyRoundMemory,
  'fails closed when a replay memory is full of unexpired entries (never evicts one)':
    replayMemoryFailsClosed,
  'counts each checkpoint voter once (a valid signature listed five times is not five voters)':
    checkpointVoterOnce,
  'delivers unauthenticated kinds flagged, or drops them as unsigned when not accepted':
    unsignedKinds,
  'a burst of genuine events with one forgery: exactly the forgery is dropped, same verdicts inline or with workers':
    burstWithForgery,
})
