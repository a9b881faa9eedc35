import type { PlazaCounters } from './counters.js'
import type { Keyring } from './keyring.js'
import type { PlazaDeps, PlazaOptions } from './options.js'
import type { PlazaEvent } from './plaza-event.js'
import { openReceiver, type Receiver, type ReceiverEventMap } from './receiver.js'
import { createSpeaker, type Speaker, type SpeakerEvents } from './speaker.js'
import { type PlazaIdentity, speakerKeys } from './speaker-keys.js'

/** Lifecycle and diagnostic events of a plaza: the receiver's and the speaker's. */
export type PlazaLifecycleEvents = Omit<ReceiverEventMap, PlazaEvent['kind']> & SpeakerEvents

/** Listener payload per event name: message kinds give a {@link PlazaEvent}. */
export type PlazaEventMap = ReceiverEventMap & SpeakerEvents

/**
 * One nara on the plaza: a receiver (one MQTT connection, the randomized reconnect loop, the
 * verified inbound pipeline) and one speaker (signing, join jitter, hey_there, chau). Our own
 * messages echoed back by the broker are counted as `own` and not delivered.
 */
export interface Plaza
  extends Omit<Speaker, 'start' | 'stop' | 'on'>,
    Omit<Receiver, 'start' | 'stop' | 'on' | 'addNara' | 'subscribed'> {
  readonly identity: PlazaIdentity
  readonly keyring: Keyring
  /** Connects (first attempt now; on failure the reconnect loop takes over). Never rejects for broker trouble. */
  start(): Promise<void>
  /** Cancels every loop and timer and disconnects. With `chau: true`, says chau first. Idempotent. */
  stop(options?: { chau?: boolean }): Promise<void>
  /** Alias of {@link Plaza.sayChau}. */
  publishChau(): Promise<boolean>
  /** Listens to one message kind or lifecycle event. Returns an unsubscribe function. */
  on<K extends keyof PlazaEventMap>(
    event: K,
    listener: (payload: PlazaEventMap[K]) => void,
  ): () => void
  /** Every accepted message, as an async iterator (bounded buffer; ends on `stop()`). */
  events(): AsyncIterableIterator<PlazaEvent>
  counters(): PlazaCounters
}

const SPEAKER_EVENTS = new Set<string>(['hey-there-scheduled', 'hey-there-sent'])

/**
 * Creates a plaza: one receiver and one speaker. Nothing happens on the network until `start()`.
 * @throws InvalidOptionsError / InvalidBrokerUrlError for bad options (synchronously)
 */
export function createPlaza(options: PlazaOptions, deps: PlazaDeps = {}): Plaza {
  // The name is checked before the receiver exists (it names the receiver's own messages).
  const { name } = speakerKeys(options.identity).identity
  const {
    signal,
    identity: _identity,
    heyThereOnConnect,
    joinJitterMaxMs,
    ...receiverOptions
  } = options
  const receiver = openReceiver(receiverOptions, deps, name)
  const speaker = createSpeaker(
    {
      receiver,
      identity: options.identity,
      ...(heyThereOnConnect === undefined ? {} : { heyThereOnConnect }),
      ...(joinJitterMaxMs === undefined ? {} : { joinJitterMaxMs }),
    },
    deps,
  )
  let stopped = false
  const plaza: Plaza = {
    identity: speaker.identity,
    keyring: receiver.keyring,
    clientId: receiver.clientId,
    get brokerUrl() {
      return receiver.brokerUrl
    },
    get connected() {
      return receiver.connected
    },
    async start() {
      if (stopped || signal?.aborted === true) return
      await speaker.start()
      await receiver.start()
    },
    async stop(stopOptions = {}) {
      if (stopped) return
      stopped = true
      await speaker.stop(stopOptions)
      await receiver.stop()
    },
    waitConnected: (s) => receiver.waitConnected(s),
    publish: (topic, payload, o) => receiver.publish(topic, payload, o),
    sayHeyThere: () => speaker.sayHeyThere(),
    sayChau: () => speaker.sayChau(),
    publishChau: () => speaker.sayChau(),
    publishNewspaper: (status) => speaker.publishNewspaper(status),
    publishHowdy: (input) => speaker.publishHowdy(input),
    publishSocial: (social) => speaker.publishSocial(social),
    publishCheckpointProposal: (p) => speaker.publishCheckpointProposal(p),
    publishCheckpointVote: (v) => speaker.publishCheckpointVote(v),
    signCheckpointProposal: (p) => speaker.signCheckpointProposal(p),
    signCheckpointVote: (v) => speaker.signCheckpointVote(v),
    publishCheckpointFinal: (event) => speaker.publishCheckpointFinal(event),
    publishLedgerRequest: (target, subjects) => speaker.publishLedgerRequest(target, subjects),
    publishLedgerResponse: (to, events) => speaker.publishLedgerResponse(to, events),
    publishJourneyComplete: (completion) => speaker.publishJourneyComplete(completion),
    on(event, listener) {
      if (SPEAKER_EVENTS.has(event)) {
        return speaker.on(event as keyof SpeakerEvents, listener as never)
      }
      return receiver.on(event as keyof ReceiverEventMap, listener as never)
    },
    events: () => receiver.events(),
    counters: () => receiver.counters(),
  }
  signal?.addEventListener('abort', () => void plaza.stop(), { once: true })
  return plaza
}
