import { type Ed25519Backend, fastestBackend } from '@nara/crypto'
import { type BrokerLink, createBrokerLink } from './broker-link.js'
import { createBrokerList } from './broker-list.js'
import { makeClientId } from './client-id.js'
import { systemClock } from './clock.js'
import { Counters, type PlazaCounters } from './counters.js'
import type { PlazaError } from './errors.js'
import { AsyncQueue, EventHub } from './event-hub.js'
import { createInboundPipeline } from './inbound-pipeline.js'
import type { Keyring } from './keyring.js'
import { silentLogger } from './logger.js'
import type { PlazaDeps, ReceiverOptions } from './options.js'
import type { DropEvent, KeyConflictEvent, PlazaEvent, PlazaMessageKind } from './plaza-event.js'
import { defaultRandom } from './random.js'
import { checkReceiverOptions, pipelineOptions, receiverKeyring } from './receiver-config.js'
import { createSubscriptionSet, type SubscriptionSet } from './subscription-set.js'
import { createVerifyPool, type VerifyPool } from './verify-pool.js'

/** Connection events of a receiver, next to the message kinds. */
export interface ReceiverLifecycleEvents {
  /** Connected and about to subscribe. `reconnect` is false only for the very first success. */
  connected: { readonly clientId: string; readonly brokerUrl: string; readonly reconnect: boolean }
  /** Subscribed to every plaza topic (WIRE.md §1.3 order): time for speakers to announce. */
  subscribed: { readonly topics: readonly string[] }
  /** The connection was lost, or closed by `stop()`. */
  disconnected: { readonly error: PlazaError | undefined }
  /** The reconnect loop scheduled attempt `attempt` after `delayMs` (on the next broker). */
  'reconnect-scheduled': { readonly delayMs: number; readonly attempt: number }
  /** A connect attempt failed, or the connection broke. Never thrown. */
  error: PlazaError
  'key-conflict': KeyConflictEvent
  drop: DropEvent
  /**
   * A run of signature checks finished: `count` checks in `seconds` (wall time, inline or a
   * worker round trip). The timing of the one verification each message gets, for a histogram.
   */
  verified: { readonly count: number; readonly seconds: number }
}

/** Listener payload per event name: message kinds give a {@link PlazaEvent}. */
export type ReceiverEventMap = { [K in PlazaMessageKind]: PlazaEvent<K> } & ReceiverLifecycleEvents

/**
 * The receiving half of the plaza: one broker connection with the randomized reconnect loop,
 * the TOFU keyring and the verified inbound pipeline. It delivers every verified message once
 * (a nara's own messages too: each nara ignores its own). Speakers publish through it.
 */
export interface Receiver {
  readonly keyring: Keyring
  readonly clientId: string
  /** The broker in use (or tried next), without credentials. */
  readonly brokerUrl: string
  /** True while connected to the broker. */
  readonly connected: boolean
  /** True from the `subscribed` event until the connection is lost. */
  readonly subscribed: boolean
  /** Connects (first attempt now; then the reconnect loop). Never rejects for broker trouble. */
  start(): Promise<void>
  /** Cancels every loop and timer and disconnects. Idempotent. */
  stop(): Promise<void>
  /** Resolves at the next successful connect (at once when connected). */
  waitConnected(signal?: AbortSignal): Promise<void>
  /**
   * Publishes raw bytes with the topic's QoS (checkpoint topics 1, the rest 0), never retained.
   * Resolves false (and counts a drop) when disconnected or when the publish fails.
   */
  publish(topic: string, payload: Uint8Array | string, options?: { qos?: 0 | 1 }): Promise<boolean>
  /**
   * Adds a nara's own topics (its ledger request and response topics) to every subscription,
   * now if connected. Returns a function that leaves them out of the next subscriptions.
   */
  addNara(name: string): () => void
  on<K extends keyof ReceiverEventMap>(
    event: K,
    listener: (payload: ReceiverEventMap[K]) => void,
  ): () => void
  /** Every accepted message, as an async iterator (bounded buffer; ends on `stop()`). */
  events(): AsyncIterableIterator<PlazaEvent>
  /** A frozen snapshot of all counters. */
  counters(): PlazaCounters
}

/** Not a nara name ('/' is not allowed in one): the receiver has no own messages to skip. */
const NOBODY = '/'

/**
 * Creates a receiver. Nothing happens on the network until `start()`.
 * @throws InvalidOptionsError / InvalidBrokerUrlError for bad options (synchronously)
 */
export function createReceiver(options: ReceiverOptions, deps: PlazaDeps = {}): Receiver {
  return openReceiver(options, deps, NOBODY)
}

/** {@link createReceiver}; `ownName`'s messages are counted as `own` and not delivered. */
export function openReceiver(options: ReceiverOptions, deps: PlazaDeps, ownName: string): Receiver {
  checkReceiverOptions(options)
  const receiver = receiverFacade(options, wireReceiver(options, deps, ownName))
  options.signal?.addEventListener('abort', () => void receiver.stop(), { once: true })
  return receiver
}

/** The parts of a receiver, wired together: what its methods drive. */
interface ReceiverParts {
  readonly keyring: Keyring
  readonly clientId: string
  readonly hub: EventHub<ReceiverEventMap>
  readonly counters: Counters
  /** The open `events()` iterators: each delivered message is pushed to every one. */
  readonly iterators: Set<AsyncQueue<PlazaEvent>>
  readonly pool: VerifyPool | undefined
  readonly subscriptions: SubscriptionSet
  readonly link: BrokerLink
}

/** Builds the event hub, counters, verify pool, inbound pipeline and broker link of a receiver. */
function wireReceiver(options: ReceiverOptions, deps: PlazaDeps, ownName: string): ReceiverParts {
  const clock = deps.clock ?? systemClock
  const random = deps.random ?? defaultRandom
  const logger = deps.logger ?? silentLogger
  const clientId = options.clientId ?? makeClientId()
  const keyring = receiverKeyring(options)
  const backend: Ed25519Backend = fastestBackend()
  const hub = new EventHub<ReceiverEventMap>((error, event) =>
    logger.error({ event: String(event), err: String(error) }, 'plaza listener threw'),
  )
  const counters = new Counters((count, ms) => {
    if (hub.has('verified')) hub.emit('verified', { count, seconds: ms / 1000 })
  })
  const iterators = new Set<AsyncQueue<PlazaEvent>>()
  const workers = options.verifyWorkers ?? 0
  // The main thread helps once the workers are saturated (see createVerifyPool).
  const pool: VerifyPool | undefined =
    workers > 0 ? createVerifyPool({ workers, inlineBackend: backend }) : undefined
  const pipeline = createInboundPipeline({
    ...pipelineOptions(options, { me: ownName, keyring, clock, counters, logger, backend, pool }),
    // A socket read's socials from pinned senders are verified back to back at its end (warm caches).
    holdInlineChecks: true,
    deliver(event) {
      hub.emit(event.kind, event as never)
      for (const it of iterators) it.push(event)
    },
    onDrop: (drop) => {
      if (hub.has('drop')) hub.emit('drop', drop)
    },
    onKeyConflict: (conflict) => hub.emit('key-conflict', conflict),
  })
  const subscriptions = createSubscriptionSet(ownName === NOBODY ? undefined : ownName)
  const link = createBrokerLink({
    options,
    brokers: createBrokerList(options.brokerUrl, random),
    clientId,
    clock,
    random,
    logger,
    counters,
    subscriptions,
    onMessage: (topic, payload) => pipeline.handle(topic, payload),
    onOversized: (topic, payloadBytes) => pipeline.oversized(topic, payloadBytes),
    emit: (event, payload) => hub.emit(event, payload as never),
  })
  return { keyring, clientId, hub, counters, iterators, pool, subscriptions, link }
}

/** Throws the `publish` TypeError for an empty topic or one with MQTT wildcards. */
function checkPublishTopic(topic: string): void {
  if (typeof topic !== 'string' || topic === '' || /[+#]/.test(topic)) {
    throw new TypeError('publish topic must be a non-empty topic name without wildcards')
  }
}

/** The {@link Receiver} object over its wired parts: start/stop once, and the public surface. */
function receiverFacade(options: ReceiverOptions, parts: ReceiverParts): Receiver {
  const { keyring, clientId, hub, counters, iterators, pool, subscriptions, link } = parts
  let started = false
  let stopped = false
  return {
    keyring,
    clientId,
    get brokerUrl() {
      return link.brokerUrl
    },
    get connected() {
      return link.connected
    },
    get subscribed() {
      return link.subscribed
    },
    async start() {
      if (started || stopped) return
      started = true
      if (options.signal?.aborted === true) return
      if (pool !== undefined) await pool.start()
      if (!stopped) await link.start()
    },
    async stop() {
      if (stopped) return
      stopped = true
      await link.stop()
      await pool?.stop()
      for (const it of iterators) it.close()
      iterators.clear()
    },
    waitConnected: (signal) => link.waitConnected(signal),
    publish(topic, payload, publishOptions = {}) {
      checkPublishTopic(topic)
      return link.publish(topic, payload, publishOptions.qos)
    },
    addNara(name) {
      const { added, remove } = subscriptions.add(name)
      link.subscribeMore(added)
      return remove
    },
    on(event, listener) {
      return hub.on(event, listener)
    },
    events() {
      const queue: AsyncQueue<PlazaEvent> = new AsyncQueue(options.eventBufferSize ?? 10_000, () =>
        iterators.delete(queue),
      )
      if (stopped) queue.close()
      else iterators.add(queue)
      return queue
    },
    counters() {
      return counters.snapshot()
    },
  }
}
