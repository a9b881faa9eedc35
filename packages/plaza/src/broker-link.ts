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

/** {@link BrokerLink}, one method per step of its life. */
class Link implements BrokerLink {
  readonly #p: BrokerLinkParts
  readonly #retry: ReturnType<typeof createSubscribeRetry>
  readonly #loop: ReturnType<typeof createReconnectLoop>
  readonly #connectWaiters = new Set<() => void>()
  #current: BrokerConnection | undefined
  #subscribed = false
  #everConnected = false
  #failedSinceConnect = false
  #stopping = false
  #firstAttempt: AbortController | undefined

  constructor(parts: BrokerLinkParts) {
    this.#p = parts
    const { options, brokers, clock, random, logger } = parts
    this.#retry = createSubscribeRetry(clock, logger)
    this.#loop = createReconnectLoop({
      clock,
      random,
      minMs: options.reconnectMinMs ?? 5000,
      maxMs: options.reconnectMaxMs ?? 35_000,
      attempt: (signal) => this.#attempt(signal),
      onScheduled: (delayMs, n) => {
        logger.info(
          { brokerUrl: brokers.current().url, delayMs, attempt: n },
          'plaza reconnect scheduled',
        )
        parts.emit('reconnect-scheduled', { delayMs, attempt: n })
      },
    })
  }

  get brokerUrl(): string {
    return this.#current?.url ?? this.#p.brokers.current().url
  }

  get connected(): boolean {
    return this.#current?.connected === true
  }

  get subscribed(): boolean {
    return this.#subscribed && this.#current?.connected === true
  }

  async start(): Promise<void> {
    this.#firstAttempt = new AbortController()
    const ok = await this.#attempt(this.#firstAttempt.signal)
    if (!ok && !this.#stopping) this.#loop.start()
  }

  async stop(): Promise<void> {
    if (this.#stopping) return
    this.#stopping = true
    this.#loop.stop()
    this.#retry.cancel()
    this.#firstAttempt?.abort()
    const connection = this.#current
    this.#current = undefined
    this.#subscribed = false
    if (connection !== undefined) {
      await connection.close(true)
      this.#p.counters.bump('disconnects')
      this.#p.emit('disconnected', { error: undefined })
    }
  }

  waitConnected(signal?: AbortSignal): Promise<void> {
    if (this.connected) return Promise.resolve()
    const waiters = this.#connectWaiters
    return new Promise<void>((resolve, reject) => {
      const wake = (): void => {
        waiters.delete(wake)
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      const onAbort = (): void => {
        waiters.delete(wake)
        reject(signal?.reason)
      }
      waiters.add(wake)
      signal?.addEventListener('abort', onAbort, { once: true })
    })
  }

  async publish(topic: string, payload: Uint8Array | string, qos?: 0 | 1): Promise<boolean> {
    const { counters, logger } = this.#p
    const connection = this.#current
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
  }

  subscribeMore(topics: readonly string[]): void {
    const connection = this.#current
    if (connection === undefined || !this.#subscribed || topics.length === 0) return
    void this.#retry
      .run(connection, topics, () => connection === this.#current)
      .then((refused) => {
        if (refused !== undefined && connection === this.#current)
          this.#reportRefused(connection.url, refused)
      })
  }

  #reportError(error: PlazaError): void {
    this.#p.logger.warn(
      { code: error.code, brokerUrl: error.brokerUrl, err: error.message },
      'plaza connection problem',
    )
    this.#p.emit('error', error)
  }

  #reportRefused(url: string, refused: readonly RefusedTopic[]): PlazaError | undefined {
    let first: PlazaError | undefined
    for (const { topic, error } of refused) {
      const reason = error instanceof Error ? error.message : String(error)
      const err = new SubscribeFailedError(
        `subscribe to ${topic} failed on ${url} after ${SUBSCRIBE_RETRY_MS.length + 1} attempts: ${reason}`,
        { brokerUrl: url, cause: error, topic },
      )
      first ??= err
      this.#reportError(err)
    }
    return first
  }

  #onClosed(connection: BrokerConnection, error?: PlazaError): void {
    if (connection !== this.#current) return
    this.#current = undefined
    this.#subscribed = false
    this.#retry.cancel()
    void connection.close(false)
    this.#p.counters.bump('disconnects')
    this.#failedSinceConnect = true
    // A lost connection counts as this broker failing: the loop tries the next one.
    this.#p.brokers.advance()
    this.#p.logger.info({ brokerUrl: connection.url }, 'plaza disconnected')
    this.#p.emit('disconnected', { error })
    if (!this.#stopping) this.#loop.start()
  }

  async #onConnected(connection: BrokerConnection): Promise<void> {
    const { clientId, counters, logger, emit } = this.#p
    this.#current = connection
    const reconnect = this.#everConnected || this.#failedSinceConnect
    this.#everConnected = true
    this.#failedSinceConnect = false
    counters.bump('connects')
    if (reconnect) counters.bump('reconnects')
    connection.onClose((err) =>
      this.#onClosed(
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
    for (const wake of [...this.#connectWaiters]) wake()
    // MQTT.js forgets subscriptions with reconnectPeriod 0: subscribe on EVERY connect.
    const all = this.#p.subscriptions.topics()
    const refused = await this.#retry.run(connection, all, () => connection === this.#current)
    if (connection !== this.#current) return
    if (refused !== undefined) {
      // Connected but deaf to these topics: drop the connection so the loop tries again.
      this.#onClosed(connection, this.#reportRefused(connection.url, refused))
      return
    }
    this.#subscribed = true
    emit('subscribed', { topics: all })
  }

  async #attempt(signal: AbortSignal): Promise<boolean> {
    const { options, brokers, logger } = this.#p
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
        clientId: this.#p.clientId,
        username: options.username ?? address.username,
        password: options.password ?? address.password,
        tls: options.tls,
        keepaliveSeconds: options.keepaliveSeconds ?? 30,
        connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
        signal,
        onMessage: this.#p.onMessage,
        limit: {
          maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
          oversized: this.#p.onOversized,
        },
      })
      if (this.#stopping || signal.aborted) {
        await connection.close(false)
        return true
      }
      void this.#onConnected(connection)
      return true
    } catch (error) {
      if (this.#stopping || signal.aborted) return false
      this.#p.counters.bump('connectFailures')
      this.#failedSinceConnect = true
      brokers.advance()
      this.#reportError(error as PlazaError)
      return false
    }
  }
}

export function createBrokerLink(parts: BrokerLinkParts): BrokerLink {
  return new Link(parts)
}
