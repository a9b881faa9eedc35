/**
 * The four oracle tests named by the plaza notes (WIRE.md §11), against every configuration
 * (one nara or a town, inline or worker-pool verification) on aedes and on mosquitto.
 */
import { connectJitter, reconnectLoop } from './join-checks.js'
import { describeMatrix } from './matrix.js'
import { newspaperSignature, signedSyncEvents } from './signed-message-checks.js'

describeMatrix('plaza oracle', {
  TestMQTT_ConnectJitter: connectJitter,
  TestMQTT_SignedSyncEvents: signedSyncEvents,
  TestMQTT_NewspaperSignature: newspaperSignature,
  // Stops and restarts the broker: last.
  TestMQTT_ReconnectLoop: reconnectLoop,
})
