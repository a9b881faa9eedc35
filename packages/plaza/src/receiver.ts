import { type Ed25519Backend, fastestBackend } from '@nara/crypto'
import {
  ledgerRequestTopic,
  ledgerResponseTopic,
  subscriptionTopics,
  topicQos,
} from '@nara/protocol'
import { createBrokerList } from './broker-list.js'
import type { BrokerAddress } from './broker-url.js'
import { makeClientId } from './client-id.js'
import { systemClock } from './clock.js'
import { Counters, type PlazaCounters } from './counters.js'
import { ConnectionLostError, type PlazaError, SubscribeFailedError } from './errors.js'
import { AsyncQueue, EventHub } from './event-hub.js'
import { createInboundPipeline } from './inbound-pipeline.js'
import type { Keyring } from './keyring.js'
import { silentLogger } from './logger.js'
import { type BrokerConnection, connectOnce, type RefusedTopic } from './mqtt-connection.js'
import type { PlazaDeps, ReceiverOptions } from './options.js'
import type { DropEvent, KeyConflictEvent, PlazaEvent, PlazaMessageKind } from './plaza-event.js'
import { defaultRandom } from './random.js'
import { checkReceiverOptions, pipelineOptions, receiverKeyring } from './receiver-config.js'
import { createReconnectLoop } from './reconnect-loop.js'
import { createSubscribeRetry, SUBSCRIBE_RETRY_MS } from './subscribe-retry.js'
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
  const clock = deps.clock ?? systemClock
  const random = deps.random ?? defaultRandom
  const logger = deps.logger ?? silentLogger
  checkReceiverOptions(options)
  const brokers = createBrokerList(options.brokerUrl, random)
  const clientId = options.clientId ?? makeClientId()
  const keyring = receiverKeyring(options)
  const backend: Ed25519Backend = fastestBackend()
  const counters = new Counters()
  const hub = new EventHub<ReceiverEventMap>((error, event) =>
    logger.error({ event: String(event), err: String(error) }, 'plaza listener threw'),
  )
  const iterators = new Set<AsyncQueue<PlazaEvent>>()
  const workers = options.verifyWorkers ?? 0
  // The main thread helps once the workers are saturated (see createVerifyPool).
  const pool: VerifyPool | undefined =
    workers > 0 ? createVerifyPool({ workers, inlineBackend: backend }) : undefined
  const pipeline = createInboundPipeline({
    ...pipelineOptions(options, { me: ownName, keyring, clock, counters, logger, backend, pool }),
    deliver(event) {
      hub.emit(event.kind, event as never)
      for (const it of iterators) it.push(event)
    },
    onDrop: (drop) => {
      if (hub.has('drop')) hub.emit('drop', drop)
    },
    onKeyConflict: (conflict) => hub.emit('key-conflict', conflict),
  })
  const naras = new Map<string, number>()
  const topics = (): string[] => {
    const base = subscriptionTopics(ownName === NOBODY ? '' : ownName)
    const own = ownName === NOBODY ? base.filter((t) => !t.startsWith('nara/ledger/')) : base
    const extra = [...naras.keys()].flatMap((n) => [ledgerRequestTopic(n), ledgerResponseTopic(n)])
    return [...new Set([...own, ...extra])]
  }

  let current: BrokerConnection | undefined
  let subscribed = false
  let everConnected = false
  let failedSinceConnect = false
  let started = false
  let stopping = false
  let firstAttempt: AbortController | undefined
  const connectWaiters = new Set<() => void>()
  const retry = createSubscribeRetry(clock, logger)

  const reportError = (error: PlazaError): void => {
    logger.warn(
      { code: error.code, brokerUrl: error.brokerUrl, err: error.message },
      'plaza connection problem',
    )
    hub.emit('error', error)
  }
  const reportRefused = (url: string, refused: readonly RefusedTopic[]): PlazaError | undefined => {
    let first: PlazaError | undefined
    for (const { topic, error } of refused) {
      const reason = error instanceof Error ? error.message : String(error)
      const err = new SubscribeFailedError(
        `subscribe to ${topic} failed on ${url} after ${SUBSCRIBE_RETRY_MS.length + 1} attempts: ${reason}`,
        { brokerUrl: url, cause: error, topic },
      )
      first ??= err
      reportError(err)
    }
    return first
  }

  const onClosed = (connection: BrokerConnection, error?: PlazaError): void => {
    if (connection !== current) return
    current = undefined
    subscribed = false
    retry.cancel()
    void connection.close(false)
    counters.bump('disconnects')
    failedSinceConnect = true
    // A lost connection counts as this broker failing: the loop tries the next one.
    brokers.advance()
    logger.info({ brokerUrl: connection.url }, 'plaza disconnected')
    hub.emit('disconnected', { error })
    if (!stopping) loop.start()
  }

  const onConnected = async (connection: BrokerConnection): Promise<void> => {
    current = connection
    const reconnect = everConnected || failedSinceConnect
    everConnected = true
    failedSinceConnect = false
    counters.bump('connects')
    if (reconnect) counters.bump('reconnects')
    connection.onClose((err) =>
      onClosed(
        connection,
        err === undefined
          ? undefined
          : new ConnectionLostError(`connection to ${connection.url} failed: ${err.message}`, {
              brokerUrl: connection.url,
              cause: err,
            }),
      ),
    )
    logger.info({ brokerUrl: connection.url, clientId, reconnect }, 'plaza connected')
    hub.emit('connected', { clientId, brokerUrl: connection.url, reconnect })
    for (const wake of [...connectWaiters]) wake()
    // MQTT.js forgets subscriptions with reconnectPeriod 0: subscribe on EVERY connect.
    const all = topics()
    const refused = await retry.run(connection, all, () => connection === current)
    if (connection !== current) return
    if (refused !== undefined) {
      // Connected but deaf to these topics: drop the connection so the loop tries again.
      onClosed(connection, reportRefused(connection.url, refused))
      return
    }
    subscribed = true
    hub.emit('subscribed', { topics: all })
  }

  const attempt = async (signal: AbortSignal): Promise<boolean> => {
    const address: BrokerAddress = brokers.current()
    const secure = address.protocol === 'mqtts' || address.protocol === 'wss'
    if (secure && options.tls?.insecureSkipVerify === true) {
      logger.warn(
        { brokerUrl: address.url },
        'TLS certificate verification is DISABLED (tls.insecureSkipVerify): the broker is not authenticated',
      )
    }
    try {
      const connection = await connectOnce({
        address,
        clientId,
        username: options.username ?? address.username,
        password: options.password ?? address.password,
        tls: options.tls,
        keepaliveSeconds: options.keepaliveSeconds ?? 30,
        connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
        signal,
        onMessage: (topic, payload) => pipeline.handle(topic, payload),
      })
      if (stopping || signal.aborted) {
        await connection.close(false)
        return true
      }
      void onConnected(connection)
      return true
    } catch (error) {
      if (stopping || signal.aborted) return false
      counters.bump('connectFailures')
      failedSinceConnect = true
      brokers.advance()
      reportError(error as PlazaError)
      return false
    }
  }

  const loop = createReconnectLoop({
    clock,
    random,
    minMs: options.reconnectMinMs ?? 5000,
    maxMs: options.reconnectMaxMs ?? 35_000,
    attempt,
    onScheduled: (delayMs, n) => {
      logger.info(
        { brokerUrl: brokers.current().url, delayMs, attempt: n },
        'plaza reconnect scheduled',
      )
      hub.emit('reconnect-scheduled', { delayMs, attempt: n })
    },
  })

  const receiver: Receiver = {
    keyring,
    clientId,
    get brokerUrl() {
      return current?.url ?? brokers.current().url
    },
    get connected() {
      return current?.connected === true
    },
    get subscribed() {
      return subscribed && current?.connected === true
    },
    async start() {
      if (started) return
      started = true
      if (options.signal?.aborted === true) return
      if (pool !== undefined) await pool.start()
      firstAttempt = new AbortController()
      const ok = await attempt(firstAttempt.signal)
      if (!ok && !stopping) loop.start()
    },
    async stop() {
      if (stopping) return
      stopping = true
      loop.stop()
      retry.cancel()
      firstAttempt?.abort()
      const connection = current
      current = undefined
      subscribed = false
      if (connection !== undefined) {
        await connection.close(true)
        counters.bump('disconnects')
        hub.emit('disconnected', { error: undefined })
      }
      await pool?.stop()
      for (const it of iterators) it.close()
      iterators.clear()
    },
    waitConnected(signal) {
      if (receiver.connected) return Promise.resolve()
      return new Promise<void>((resolve, reject) => {
        const wake = (): void => {
          connectWaiters.delete(wake)
          signal?.removeEventListener('abort', onAbort)
          resolve()
        }
        const onAbort = (): void => {
          connectWaiters.delete(wake)
          reject(signal?.reason)
        }
        connectWaiters.add(wake)
        signal?.addEventListener('abort', onAbort, { once: true })
      })
    },
    async publish(topic, payload, publishOptions = {}) {
      if (typeof topic !== 'string' || topic === '' || /[+#]/.test(topic)) {
        throw new TypeError('publish topic must be a non-empty topic name without wildcards')
      }
      const connection = current
      if (connection === undefined || !connection.connected) {
        counters.publishDropped(topic)
        return false
      }
      try {
        const bytes =
          typeof payload === 'string'
            ? payload
            : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
        await connection.publish(topic, bytes, publishOptions.qos ?? topicQos(topic))
        counters.published(topic)
        return true
      } catch (err) {
        counters.publishDropped(topic)
        logger.debug({ topic, err: String(err) }, 'publish failed')
        return false
      }
    },
    addNara(name) {
      naras.set(name, (naras.get(name) ?? 0) + 1)
      const connection = current
      if (connection !== undefined && subscribed && ownName !== name) {
        const own = [ledgerRequestTopic(name), ledgerResponseTopic(name)]
        void retry
          .run(connection, own, () => connection === current)
          .then((refused) => {
            if (refused !== undefined && connection === current) {
              reportRefused(connection.url, refused)
            }
          })
      }
      return () => {
        const n = (naras.get(name) ?? 1) - 1
        if (n <= 0) naras.delete(name)
        else naras.set(name, n)
      }
    },
    on(event, listener) {
      return hub.on(event, listener)
    },
    events() {
      const queue: AsyncQueue<PlazaEvent> = new AsyncQueue(options.eventBufferSize ?? 10_000, () =>
        iterators.delete(queue),
      )
      if (stopping) queue.close()
      else iterators.add(queue)
      return queue
    },
    counters() {
      return counters.snapshot()
    },
  }
  options.signal?.addEventListener('abort', () => void receiver.stop(), { once: true })
  return receiver
}
