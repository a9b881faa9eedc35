import { DEFAULT_MAX_PAYLOAD_BYTES, topicQos } from '@nara/protocol'
import type { BrokerList } from './broker-list.js'
import type { BrokerAddress } from './broker-url.js'
import type { Clock } from './clock.js'
import type { Counters } from './counters.js'
import { ConnectionLostError, type PlazaError, SubscribeFailedError } from './errors.js'
import type { Logger } from './logger.js'
import { type BrokerConnection, connectOnce, type RefusedTopic } from './mqtt-connection.js'
import type { ReceiverOptions } from './options.js'
import type { RandomSource } from './random.js'
import type { ReceiverLifecycleEvents } from './receiver.js'
import { createReconnectLoop } from './reconnect-loop.js'
import { createSubscribeRetry, SUBSCRIBE_RETRY_MS } from './subscribe-retry.js'
import type { SubscriptionSet } from './subscription-set.js'

/** What a {@link BrokerLink} works with. */
export interface BrokerLinkParts {
  options: ReceiverOptions
  brokers: BrokerList
  clientId: string
  clock: Clock
  random: RandomSource
  logger: Logger
  counters: Counters
  subscriptions: SubscriptionSet
  onMessage: (topic: string, payload: Buffer) => void
  /** A PUBLISH the transport skipped unread: its payload (`payloadBytes`) is over the cap. */
  onOversized: (topic: string, payloadBytes: number) => void
  emit: <K extends keyof ReceiverLifecycleEvents>(
    event: K,
    payload: ReceiverLifecycleEvents[K],
  ) => void
}

/**
 * The receiver's link to the broker: one connection at a time, subscribed on every connect
 * (with Go's retries), the randomized reconnect loop walking the broker list on every failure.
 */
export interface BrokerLink {
  readonly brokerUrl: string
  readonly connected: boolean
  readonly subscribed: boolean
  /** First attempt now; on failure the reconnect loop takes over. */
  start(): Promise<void>
  /** Cancels the loop and closes the connection (DISCONNECT first). Idempotent. */
  stop(): Promise<void>
  waitConnected(signal?: AbortSignal): Promise<void>
  publish(topic: string, payload: Uint8Array | string, qos?: 0 | 1): Promise<boolean>
  /** Subscribes to more topics now, when subscribed (the next connects take them from the set). */
  subscribeMore(topics: readonly string[]): void
}

export function createBrokerLink(parts: BrokerLinkParts): BrokerLink {
  const { options, brokers, clientId, clock, random, logger, counters, subscriptions, emit } = parts
  let current: BrokerConnection | undefined
  let subscribed = false
  let everConnected = false
  let failedSinceConnect = false
  let stopping = false
  let firstAttempt: AbortController | undefined
  const connectWaiters = new Set<() => void>()
  const retry = createSubscribeRetry(clock, logger)

  const reportError = (error: PlazaError): void => {
    logger.warn(
      { code: error.code, brokerUrl: error.brokerUrl, err: error.message },
      'plaza connection problem',
    )
    emit('error', error)
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
    emit('disconnected', { error })
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
    emit('connected', { clientId, brokerUrl: connection.url, reconnect })
    for (const wake of [...connectWaiters]) wake()
    // MQTT.js forgets subscriptions with reconnectPeriod 0: subscribe on EVERY connect.
    const all = subscriptions.topics()
    const refused = await retry.run(connection, all, () => connection === current)
    if (connection !== current) return
    if (refused !== undefined) {
      // Connected but deaf to these topics: drop the connection so the loop tries again.
      onClosed(connection, reportRefused(connection.url, refused))
      return
    }
    subscribed = true
    emit('subscribed', { topics: all })
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
        onMessage: parts.onMessage,
        limit: {
          maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
          oversized: parts.onOversized,
        },
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
      emit('reconnect-scheduled', { delayMs, attempt: n })
    },
  })

  const link: BrokerLink = {
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
        emit('disconnected', { error: undefined })
      }
    },
    waitConnected(signal) {
      if (link.connected) return Promise.resolve()
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
    async publish(topic, payload, qos) {
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
        await connection.publish(topic, bytes, qos ?? topicQos(topic))
        counters.published(topic)
        return true
      } catch (err) {
        counters.publishDropped(topic)
        logger.debug({ topic, err: String(err) }, 'publish failed')
        return false
      }
    },
    subscribeMore(topics) {
      const connection = current
      if (connection === undefined || !subscribed || topics.length === 0) return
      void retry
        .run(connection, topics, () => connection === current)
        .then((refused) => {
          if (refused !== undefined && connection === current)
            reportRefused(connection.url, refused)
        })
    },
  }
  return link
}
