/**
 * A `@nara/plaza` speaker and its receiver as the agent's {@link PlazaPort}: start and stop,
 * what the port sends (`speaker-port-publish.ts`), its events (`speaker-port-events.ts`) and
 * what it answers from the receiver (keys, standing, the broker, inbound progress).
 */
import type { Receiver, Speaker } from '@nara/plaza'
import { inboundProcessed } from './health.js'
import type { PlazaPort } from './plaza-port.js'
import { localEvents, onPortEvent } from './speaker-port-events.js'
import { portPublishing } from './speaker-port-publish.js'

/**
 * Adapts a speaker and its receiver to the port the agent uses. The receiver delivers every
 * verified message once; the port skips the speaker's own. `start`/`stop` are the speaker's
 * (and `ownsReceiver`: the receiver's too, for a single nara).
 */
export function plazaPort(
  receiver: Receiver,
  speaker: Speaker,
  options: { nowMs: () => number; ownsReceiver: boolean },
): PlazaPort {
  const local = localEvents()
  let started = false
  const sources = { receiver, speaker, local, ownsReceiver: options.ownsReceiver }
  return {
    async start() {
      started = true
      await speaker.start()
      if (options.ownsReceiver) await receiver.start()
      else if (receiver.connected) {
        // A town's receiver connected before this nara started: join now.
        local.emit('connected', { reconnect: false })
        if (receiver.subscribed) local.emit('subscribed', {})
      }
    },
    async stop() {
      await speaker.stop()
      started = false
      if (options.ownsReceiver) await receiver.stop()
    },
    ...portPublishing({ ...sources, nowMs: options.nowMs }),
    keyById: (naraId) => receiver.keyring.lookup(naraId),
    hasStanding: (name) => receiver.keyring.isDurable(name),
    brokerUrl: () => receiver.brokerUrl,
    connected: () => receiver.connected,
    inboundSeen: () => inboundProcessed(receiver),
    on: (kind, listener) =>
      onPortEvent({ ...sources, started: () => started }, kind, listener as (e: unknown) => void),
  }
}
