/**
 * @packageDocumentation
 *
 * `@nara/plaza` is the MQTT transport of a TypeScript nara: it connects to the plaza broker the
 * Go naras use, subscribes to every plaza topic, announces itself with a signed `hey_there`
 * after a random join jitter, survives broker outages with Go's randomized 5–35 s reconnect
 * loop (one loop, no growth), and passes every inbound message through a verified pipeline
 * (allow-list, size cap, per-sender rate limit, lossless decode, MANDATORY signature check
 * against a trust-on-first-use keyring, freshness, dedupe) before handing it over as a frozen,
 * typed event. Every drop is counted by reason.
 *
 * Test fakes (a manual clock, a scripted random source, a recording logger) are in
 * `@nara/plaza/testing`.
 *
 * @example
 * ```ts
 * import { createPlaza } from '@nara/plaza'
 *
 * const plaza = createPlaza({
 *   brokerUrl: 'mqtts://mqtt.example.net:8883',
 *   username: 'nara',
 *   password: process.env.MQTT_PASS, // read config in your app, never in packages
 *   identity: { name: 'blue-jay', soul: mySoulText },
 * })
 * plaza.on('hey_there', (ev) => console.log(`${ev.sender} joined`))
 * plaza.on('newspaper', (ev) => console.log(ev.sender, ev.message.envelope.Status.Buzz))
 * plaza.on('error', (err) => console.warn(err.name, err.message))
 * await plaza.start()
 * // ...
 * await plaza.stop({ chau: true })
 * ```
 */

export { type Clock, systemClock, type TimerHandle } from './clock.js'
export type { DropReason, PlazaCounters } from './counters.js'
export {
  AuthRefusedError,
  BrokerRefusedError,
  BrokerUnreachableError,
  type ConnectError,
  ConnectionLostError,
  ConnectTimeoutError,
  InvalidBrokerUrlError,
  InvalidOptionsError,
  PlazaError,
  type PlazaErrorCode,
  type PlazaErrorOptions,
  SubscribeFailedError,
  TlsError,
  VerifyWorkerError,
} from './errors.js'
export {
  createKeyring,
  type Keyring,
  type KeyringJson,
  type KeyringOptions,
  type PinRequest,
  type PinResult,
  type TopicPinRequest,
  type WeakPin,
} from './keyring.js'
export { type LogFields, type Logger, silentLogger } from './logger.js'
export type { TlsOptions } from './mqtt-connection.js'
export type {
  IdentityOptions,
  PlazaDeps,
  PlazaOptions,
  ReceiverOptions,
  SpeakerBehaviour,
} from './options.js'
export {
  createPlaza,
  type Plaza,
  type PlazaEventMap,
  type PlazaLifecycleEvents,
} from './plaza.js'
export {
  type DropEvent,
  type KeyConflictEvent,
  type NameProof,
  PLAZA_MESSAGE_KINDS,
  type PlazaEvent,
  type PlazaMessageKind,
  type PlazaMessageMap,
} from './plaza-event.js'
export type { RandomSource } from './random.js'
export {
  createReceiver,
  type Receiver,
  type ReceiverEventMap,
  type ReceiverLifecycleEvents,
} from './receiver.js'
export {
  createSpeaker,
  type Speaker,
  type SpeakerEvents,
  type SpeakerOptions,
} from './speaker.js'
export type { PlazaIdentity } from './speaker-keys.js'
export type { HowdyInput, Signed } from './speaker-messages.js'
