import {
  attestationMessage,
  buildChau,
  buildHeyThere,
  buildSocial,
  computeNaraId,
  type Ed25519Backend,
  fastestBackend,
  howdyMessage,
  keypairFromSoul,
  parseSoul,
  publicKeyBase64,
  signNewspaperStatus,
} from '@nara/crypto'
import {
  type CheckpointProposal,
  type CheckpointSyncEvent,
  type CheckpointVote,
  DEFAULT_MAX_PAYLOAD_BYTES,
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeHowdy,
  encodeJourneyCompletion,
  encodeLedgerRequest,
  encodeLedgerResponse,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type HowdyEvent,
  isValidName,
  type JourneyCompletion,
  type LedgerResponse,
  ledgerRequestTopic,
  ledgerResponseTopic,
  type NaraStatus,
  newspaperTopic,
  type SocialPayload,
  type SyncEvent,
  subscriptionTopics,
  TOPICS,
  topicQos,
} from '@nara/protocol'
import { type BrokerAddress, parseBrokerUrl } from './broker-url.js'
import { makeClientId } from './client-id.js'
import { systemClock, type TimerHandle } from './clock.js'
import { Counters, type PlazaCounters } from './counters.js'
import {
  ConnectionLostError,
  InvalidOptionsError,
  type PlazaError,
  SubscribeFailedError,
} from './errors.js'
import { AsyncQueue, EventHub } from './event-hub.js'
import { createInboundPipeline, type InboundPipeline } from './inbound-pipeline.js'
import { createJoinJitter } from './join-jitter.js'
import { createKeyring, type Keyring } from './keyring.js'
import { silentLogger } from './logger.js'
import { connectOnce } from './mqtt-connection.js'
import type { PlazaDeps, PlazaOptions } from './options.js'
import type { DropEvent, KeyConflictEvent, PlazaEvent, PlazaMessageKind } from './plaza-event.js'
import { defaultRandom } from './random.js'
import { createReconnectLoop } from './reconnect-loop.js'
import type { PlazaClient } from './shared-connection.js'
import { createVerifyPool, type VerifyPool } from './verify-pool.js'

/** Our identity as peers see it (no secrets). */
export interface PlazaIdentity {
  readonly name: string
  readonly naraId: string
  readonly publicKeyBase64: string
}

/** Lifecycle and diagnostic events, next to the message kinds. */
export interface PlazaLifecycleEvents {
  /** Connected and about to subscribe. `reconnect` is false only for the very first success. */
  connected: { readonly clientId: string; readonly brokerUrl: string; readonly reconnect: boolean }
  /** Subscribed to every plaza topic (WIRE.md §1.3 order). */
  subscribed: { readonly topics: readonly string[] }
  /** The post-connect hey_there was scheduled after `delayMs` (join jitter). */
  'hey-there-scheduled': { readonly delayMs: number }
  /** A hey_there was published (after the jitter, or by `sayHeyThere`). */
  'hey-there-sent': { readonly eventId: string }
  /** The connection was lost, or closed by `stop()`. */
  disconnected: { readonly error: PlazaError | undefined }
  /** The reconnect loop scheduled attempt `attempt` after `delayMs`. */
  'reconnect-scheduled': { readonly delayMs: number; readonly attempt: number }
  /** A connect attempt failed, or the connection broke. Never thrown. */
  error: PlazaError
  'key-conflict': KeyConflictEvent
  drop: DropEvent
}

/** Listener payload per event name: message kinds give a {@link PlazaEvent}. */
export type PlazaEventMap = { [K in PlazaMessageKind]: PlazaEvent<K> } & PlazaLifecycleEvents

/** Fields of a howdy we publish; `From`, `Signature` and `Me.PublicKey`/`Me.ID` are filled in. */
export interface HowdyInput {
  to: string
  seq: number
  you: HowdyEvent['You']
  neighbors: HowdyEvent['Neighbors']
  me: NaraStatus
}

/** The plaza: one MQTT connection, our randomized reconnect loop, the verified inbound pipeline. */
export interface Plaza {
  readonly identity: PlazaIdentity
  readonly keyring: Keyring
  /** Broker URL without credentials. */
  readonly brokerUrl: string
  readonly clientId: string
  /** True while connected to the broker. */
  readonly connected: boolean
  /** Connects (first attempt now; on failure the reconnect loop takes over). Never rejects for broker trouble. */
  start(): Promise<void>
  /** Cancels every loop and timer and disconnects. With `chau: true`, says chau first. Idempotent. */
  stop(options?: { chau?: boolean }): Promise<void>
  /** Resolves at the next successful connect (at once when connected). */
  waitConnected(signal?: AbortSignal): Promise<void>
  /**
   * Publishes raw bytes with the topic's QoS (checkpoint topics 1, the rest 0), never retained.
   * Resolves false (and counts a drop) when disconnected or when the publish fails.
   */
  publish(topic: string, payload: Uint8Array | string, options?: { qos?: 0 | 1 }): Promise<boolean>
  /** Signed hey_there now (the post-connect one is automatic). */
  sayHeyThere(): Promise<boolean>
  /** Signed chau (call before `stop()`, or use `stop({ chau: true })`). */
  sayChau(): Promise<boolean>
  /** Alias of {@link Plaza.sayChau}. */
  publishChau(): Promise<boolean>
  /** Signed newspaper on `nara/newspaper/{me}`; `PublicKey` and `ID` are set to ours. */
  publishNewspaper(status: NaraStatus): Promise<boolean>
  /** Signed howdy (`howdy:{me}:{to}:{seq}`). `Me.Observations` null is sent as `{}`. */
  publishHowdy(input: HowdyInput): Promise<boolean>
  /** Signed social SyncEvent (emitter = us) on `nara/plaza/social`. */
  publishSocial(social: SocialPayload): Promise<boolean>
  /** Self-attested proposal (attester = subject = us), signed, QoS 1. */
  publishCheckpointProposal(proposal: CheckpointProposal): Promise<boolean>
  /** Vote (attester = us), signed over the attestation string, QoS 1. */
  publishCheckpointVote(vote: CheckpointVote): Promise<boolean>
  /** A final checkpoint built by the caller (unsigned envelope, voter signatures inside), QoS 1. */
  publishCheckpointFinal(event: CheckpointSyncEvent): Promise<boolean>
  publishLedgerRequest(target: string, subjects: string[] | null): Promise<boolean>
  publishLedgerResponse(requester: string, events: LedgerResponse['Events']): Promise<boolean>
  publishJourneyComplete(completion: JourneyCompletion): Promise<boolean>
  /** Listens to one message kind or lifecycle event. Returns an unsubscribe function. */
  on<K extends keyof PlazaEventMap>(
    event: K,
    listener: (payload: PlazaEventMap[K]) => void,
  ): () => void
  /** Every accepted message, as an async iterator (bounded buffer; ends on `stop()`). */
  events(): AsyncIterableIterator<PlazaEvent>
  /** A frozen snapshot of all counters. */
  counters(): PlazaCounters
}

/** Pauses before the 2nd and 3rd SUBSCRIBE attempt of a topic, ms (Go: 1 s, then 2 s). */
const SUBSCRIBE_RETRY_MS = [1000, 2000] as const

function checkNonNegative(name: string, value: number | undefined): void {
  if (value !== undefined && !(Number.isFinite(value) && value >= 0)) {
    throw new InvalidOptionsError(`${name} must be a finite number >= 0 (got ${value})`)
  }
}

/**
 * Creates a plaza. Nothing happens on the network until `start()`.
 * @throws InvalidOptionsError / InvalidBrokerUrlError for bad options (synchronously)
 */
export function createPlaza(options: PlazaOptions, deps: PlazaDeps = {}): Plaza {
  const clock = deps.clock ?? systemClock
  const random = deps.random ?? defaultRandom
  const logger = deps.logger ?? silentLogger
  const address: BrokerAddress = parseBrokerUrl(options.brokerUrl)
  const url = address.url

  const name = options.identity?.name
  if (typeof name !== 'string' || !isValidName(name)) {
    throw new InvalidOptionsError('identity.name must be a valid nara name (no /, +, #, controls)')
  }
  let keypair: { seed: Uint8Array; publicKey: Uint8Array }
  let naraId: string
  try {
    const soul = parseSoul(options.identity.soul)
    keypair = keypairFromSoul(soul)
    naraId = computeNaraId(soul, name)
  } catch {
    throw new InvalidOptionsError('identity.soul is not a valid soul (base58 of 40 bytes)')
  }
  const identity: PlazaIdentity = Object.freeze({
    name,
    naraId,
    publicKeyBase64: publicKeyBase64(keypair.publicKey),
  })
  const signer = { name, seed: keypair.seed }
  const meshIp = options.identity.meshIp ?? ''
  const shared = options.sharedConnection
  if (shared !== undefined && shared.brokerUrl !== url) {
    throw new InvalidOptionsError(
      `sharedConnection is connected to ${shared.brokerUrl}, not to brokerUrl ${url}`,
    )
  }
  if (shared !== undefined && options.clientId !== undefined) {
    throw new InvalidOptionsError('clientId belongs to the sharedConnection: set it there')
  }
  const clientId = shared?.clientId ?? options.clientId ?? makeClientId()
  if (clientId === name) {
    throw new InvalidOptionsError('clientId must not be the nara name (WIRE.md §1.2, §12.3)')
  }
  for (const key of [
    'joinJitterMaxMs',
    'reconnectMinMs',
    'reconnectMaxMs',
    'keepaliveSeconds',
    'connectTimeoutMs',
    'maxPayloadBytes',
    'freshnessWindowMs',
    'howdyWindowMs',
    'newspaperWindowMs',
    'maxPins',
    'promoteAfterMs',
  ] as const) {
    checkNonNegative(key, options[key])
  }
  checkNonNegative('preVerifyLimit.capacity', options.preVerifyLimit?.capacity)
  checkNonNegative('preVerifyLimit.refillPerSecond', options.preVerifyLimit?.refillPerSecond)
  if (
    options.keyring !== undefined &&
    (options.maxPins !== undefined || options.promoteAfterMs !== undefined)
  ) {
    throw new InvalidOptionsError(
      'maxPins/promoteAfterMs configure the keyring createPlaza creates: pass them to createKeyring for an injected keyring',
    )
  }
  const reconnectMinMs = options.reconnectMinMs ?? 5000
  const reconnectMaxMs = options.reconnectMaxMs ?? 35_000
  if (reconnectMaxMs < reconnectMinMs) {
    throw new InvalidOptionsError('reconnectMaxMs must be >= reconnectMinMs')
  }
  const verifyWorkers = options.verifyWorkers ?? 0
  if (!Number.isInteger(verifyWorkers) || verifyWorkers < 0) {
    throw new InvalidOptionsError('verifyWorkers must be an integer >= 0')
  }
  const username = options.username ?? address.username
  const password = options.password ?? address.password
  const secure = address.protocol === 'mqtts' || address.protocol === 'wss'

  const keyring =
    options.keyring ??
    createKeyring({
      ...(options.maxPins === undefined ? {} : { maxPins: options.maxPins }),
      ...(options.promoteAfterMs === undefined ? {} : { promoteAfterMs: options.promoteAfterMs }),
    })
  const own = keyring.pin({ name, naraId, publicKey: keypair.publicKey })
  if (own.status === 'conflict') {
    logger.warn({ name, label: own.label }, 'keyring pins another key for our own identity')
  }

  const backend: Ed25519Backend = fastestBackend()
  // Inbound checks go through the process-wide cache when one is given (signing never does).
  const verifier: Ed25519Backend = options.signatureCache?.wrap(backend) ?? backend
  const counters = new Counters()
  const hub = new EventHub<PlazaEventMap>((error, event) =>
    logger.error({ event: String(event), err: String(error) }, 'plaza listener threw'),
  )
  const iterators = new Set<AsyncQueue<PlazaEvent>>()
  // The main thread helps once the workers are saturated (see createVerifyPool).
  const pool: VerifyPool | undefined =
    verifyWorkers > 0
      ? createVerifyPool({ workers: verifyWorkers, inlineBackend: verifier })
      : undefined

  const rate = options.rateLimit
  const pipeline: InboundPipeline = createInboundPipeline({
    me: name,
    keyring,
    clock,
    counters,
    logger,
    maxPayloadBytes: options.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES,
    rateLimit:
      rate === false
        ? false
        : {
            capacity: rate?.capacity ?? 50,
            refillPerSecond: rate?.refillPerSecond ?? 10,
            maxBuckets: rate?.maxBuckets ?? 4096,
          },
    preVerifyLimit: {
      capacity: options.preVerifyLimit?.capacity ?? 2000,
      refillPerSecond: options.preVerifyLimit?.refillPerSecond ?? 1000,
    },
    freshnessWindowMs: options.freshnessWindowMs ?? 600_000,
    howdyWindowMs: options.howdyWindowMs ?? 30_000,
    howdyNeedsHeyThere: options.howdyNeedsHeyThere ?? true,
    newspaperWindowMs: options.newspaperWindowMs ?? 600_000,
    dedupeSize: options.dedupeSize ?? 16_384,
    acceptUnsigned: new Set(
      options.acceptUnsignedKinds ?? ['ledger_request', 'ledger_response', 'journey_complete'],
    ),
    backend: verifier,
    decodeCache: options.decodeCache,
    pool,
    maxPendingVerifications: options.maxPendingVerifications ?? 10_000,
    deliver(event) {
      hub.emit(event.kind, event as never)
      for (const it of iterators) it.push(event)
    },
    onDrop: (drop) => {
      if (hub.has('drop')) hub.emit('drop', drop)
    },
    onKeyConflict: (conflict) => hub.emit('key-conflict', conflict),
  })

  let current: PlazaClient | undefined
  let everConnected = false
  let failedSinceConnect = false
  let started = false
  let stopping = false
  let firstAttempt: AbortController | undefined
  const connectWaiters = new Set<() => void>()

  const reportError = (error: PlazaError): void => {
    logger.warn(
      { code: error.code, brokerUrl: url, err: error.message },
      'plaza connection problem',
    )
    hub.emit('error', error)
  }

  const jitter = createJoinJitter({ clock, random, maxMs: options.joinJitterMaxMs ?? 5000 })

  /** The pause before a subscribe retry (injected clock), cut short by a disconnect or stop(). */
  let retryWait: { handle: TimerHandle; wake: () => void } | undefined
  const cancelRetryWait = (): void => {
    const wait = retryWait
    retryWait = undefined
    if (wait === undefined) return
    clock.clearTimeout(wait.handle)
    wait.wake()
  }
  const pause = (ms: number): Promise<void> =>
    new Promise<void>((resolve) => {
      const wake = (): void => {
        retryWait = undefined
        resolve()
      }
      retryWait = { handle: clock.setTimeout(wake, ms), wake }
    })

  /**
   * Subscribes to every topic, retrying the ones that failed (SUBACK 0x80 or an error) after 1 s
   * and then 2 s, as Go does. Returns the topics still failing with their last error, or
   * undefined once all are subscribed (or when `client` is no longer current).
   */
  const subscribeAll = async (
    client: PlazaClient,
    topics: readonly string[],
  ): Promise<Array<{ topic: string; error: unknown }> | undefined> => {
    let failing: Array<{ topic: string; error: unknown }> = []
    let todo = [...topics]
    for (const delayMs of [0, ...SUBSCRIBE_RETRY_MS]) {
      if (delayMs > 0) {
        logger.warn({ brokerUrl: url, topics: todo, delayMs }, 'plaza subscribe failed, retrying')
        await pause(delayMs)
      }
      if (client !== current) return undefined
      failing = []
      try {
        await client.subscribeAsync(todo, { qos: 0 })
      } catch (err) {
        // A SUBACK with failure codes names the refused topics; otherwise all of them failed.
        const granted = (err as { packet?: { granted?: unknown } }).packet?.granted
        todo.forEach((topic, i) => {
          const code = Array.isArray(granted) ? (granted[i] as number | undefined) : undefined
          if (code === undefined || (code & 0x80) !== 0) failing.push({ topic, error: err })
        })
      }
      if (client !== current) return undefined
      if (failing.length === 0) return undefined
      todo = failing.map((f) => f.topic)
    }
    return failing
  }

  const onClosed = (client: PlazaClient, error?: PlazaError): void => {
    if (client !== current) return
    current = undefined
    jitter.cancel()
    cancelRetryWait()
    client.removeAllListeners('message')
    client.on('error', () => {})
    client.end(true)
    counters.bump('disconnects')
    failedSinceConnect = true
    logger.info({ brokerUrl: url }, 'plaza disconnected')
    hub.emit('disconnected', { error })
    if (!stopping) loop.start()
  }

  const onConnected = async (client: PlazaClient): Promise<void> => {
    current = client
    const reconnect = everConnected || failedSinceConnect
    everConnected = true
    failedSinceConnect = false
    counters.bump('connects')
    if (reconnect) counters.bump('reconnects')
    let lastError: PlazaError | undefined
    client.on('message', (topic: string, payload: Buffer) => pipeline.handle(topic, payload))
    client.on('error', (err: Error) => {
      lastError = new ConnectionLostError(`connection to ${url} failed: ${err.message}`, {
        brokerUrl: url,
        cause: err,
      })
      reportError(lastError)
    })
    client.on('close', () => onClosed(client, lastError))
    logger.info({ brokerUrl: url, clientId, reconnect }, 'plaza connected')
    hub.emit('connected', { clientId, brokerUrl: url, reconnect })
    for (const wake of [...connectWaiters]) wake()
    // MQTT.js forgets subscriptions with reconnectPeriod 0: subscribe on EVERY connect.
    const topics = subscriptionTopics(name)
    const failed = await subscribeAll(client, topics)
    if (client !== current) return
    if (failed !== undefined) {
      // Connected but deaf to these topics: report each, then drop the connection so the
      // reconnect loop tries again (a fresh session, a full re-subscribe).
      let first: PlazaError | undefined
      for (const { topic, error } of failed) {
        const reason = error instanceof Error ? error.message : String(error)
        const err = new SubscribeFailedError(
          `subscribe to ${topic} failed on ${url} after ${SUBSCRIBE_RETRY_MS.length + 1} attempts: ${reason}`,
          { brokerUrl: url, cause: error, topic },
        )
        first ??= err
        reportError(err)
      }
      onClosed(client, first)
      return
    }
    hub.emit('subscribed', { topics })
    if (options.heyThereOnConnect === false) return
    const delayMs = jitter.schedule(() => {
      if (client === current && client.connected) void plaza.sayHeyThere()
    })
    hub.emit('hey-there-scheduled', { delayMs })
  }

  const attempt = async (signal: AbortSignal): Promise<boolean> => {
    if (secure && options.tls?.insecureSkipVerify === true) {
      logger.warn(
        { brokerUrl: url },
        'TLS certificate verification is DISABLED (tls.insecureSkipVerify): the broker is not authenticated',
      )
    }
    try {
      const client = shared
        ? await shared.connect({
            signal,
            connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
          })
        : await connectOnce({
            address,
            clientId,
            username,
            password,
            tls: options.tls,
            keepaliveSeconds: options.keepaliveSeconds ?? 30,
            connectTimeoutMs: options.connectTimeoutMs ?? 30_000,
            signal,
          })
      if (stopping || signal.aborted) {
        client.end(true)
        return true
      }
      void onConnected(client)
      return true
    } catch (error) {
      if (stopping || signal.aborted) return false
      counters.bump('connectFailures')
      failedSinceConnect = true
      reportError(error as PlazaError)
      return false
    }
  }

  const loop = createReconnectLoop({
    clock,
    random,
    minMs: reconnectMinMs,
    maxMs: reconnectMaxMs,
    attempt,
    onScheduled: (delayMs, n) => {
      logger.info({ brokerUrl: url, delayMs, attempt: n }, 'plaza reconnect scheduled')
      hub.emit('reconnect-scheduled', { delayMs, attempt: n })
    },
  })

  const toBuffer = (payload: Uint8Array | string): Buffer | string =>
    typeof payload === 'string'
      ? payload
      : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)

  const tsNs = (): bigint => BigInt(Math.trunc(clock.now())) * 1_000_000n
  const sign = (message: string): string =>
    Buffer.from(backend.sign(new TextEncoder().encode(message), keypair.seed)).toString('base64')

  const plaza: Plaza = {
    identity,
    keyring,
    brokerUrl: url,
    clientId,
    get connected() {
      return current?.connected === true
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
    async stop(stopOptions = {}) {
      if (stopping) return
      if (stopOptions.chau === true && plaza.connected) await plaza.sayChau()
      stopping = true
      loop.stop()
      jitter.cancel()
      cancelRetryWait()
      firstAttempt?.abort()
      const client = current
      current = undefined
      if (client !== undefined) {
        client.removeAllListeners('message')
        client.removeAllListeners('close')
        client.on('error', () => {})
        await new Promise<void>((resolve) => {
          const timer = setTimeout(() => {
            client.end(true)
            resolve()
          }, 1000)
          client.end(false, {}, () => {
            clearTimeout(timer)
            resolve()
          })
        })
        counters.bump('disconnects')
        hub.emit('disconnected', { error: undefined })
      }
      await pool?.stop()
      for (const it of iterators) it.close()
      iterators.clear()
    },
    waitConnected(signal) {
      if (plaza.connected) return Promise.resolve()
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
      const client = current
      if (client === undefined || !client.connected) {
        counters.publishDropped(topic)
        return false
      }
      const qos = publishOptions.qos ?? topicQos(topic)
      try {
        await client.publishAsync(topic, toBuffer(payload), { qos, retain: false })
        counters.published(topic)
        return true
      } catch (err) {
        counters.publishDropped(topic)
        logger.debug({ topic, err: String(err) }, 'publish failed')
        return false
      }
    },
    async sayHeyThere() {
      const ev = buildHeyThere(
        { name, publicKey: keypair.publicKey, meshIp, naraId, tsNs: tsNs() },
        signer,
        backend,
      )
      const ok = await plaza.publish(TOPICS.heyThere, encodeSyncEvent(ev as SyncEvent))
      if (ok) hub.emit('hey-there-sent', { eventId: ev.id })
      return ok
    },
    async sayChau() {
      const ev = buildChau(
        { name, publicKey: keypair.publicKey, naraId, tsNs: tsNs() },
        signer,
        backend,
      )
      return plaza.publish(TOPICS.chau, encodeSyncEvent(ev as SyncEvent))
    },
    publishChau() {
      return plaza.sayChau()
    },
    publishNewspaper(status) {
      const statusBytes = new TextEncoder().encode(
        encodeNaraStatus({ ...status, PublicKey: identity.publicKeyBase64, ID: naraId }),
      )
      const signature = signNewspaperStatus(statusBytes, keypair.seed, backend)
      return plaza.publish(newspaperTopic(name), encodeNewspaperBytes(name, statusBytes, signature))
    },
    publishHowdy(input) {
      const howdy: HowdyEvent = {
        From: name,
        To: input.to,
        Seq: input.seq,
        You: input.you,
        Neighbors: input.neighbors,
        Me: {
          ...input.me,
          Observations: input.me.Observations ?? {},
          PublicKey: identity.publicKeyBase64,
          ID: naraId,
        },
        Signature: sign(howdyMessage(name, input.to, input.seq)),
      }
      return plaza.publish(TOPICS.howdy, encodeHowdy(howdy))
    },
    publishSocial(social) {
      const ev = buildSocial(
        {
          type: social.type,
          actor: social.actor ?? name,
          actorId: social.actor_id,
          target: social.target ?? '',
          targetId: social.target_id,
          reason: social.reason,
          witness: social.witness,
          tsNs: tsNs(),
        },
        signer,
        backend,
      )
      return plaza.publish(TOPICS.social, encodeSyncEvent(ev as SyncEvent))
    },
    publishCheckpointProposal(proposal) {
      const p = {
        ...proposal,
        attester: name,
        attester_id: naraId,
        subject: name,
        subject_id: naraId,
      }
      return plaza.publish(
        TOPICS.checkpointPropose,
        encodeCheckpointProposal({ ...p, signature: sign(attestationMessage(p)) }),
      )
    },
    publishCheckpointVote(vote) {
      const v = { ...vote, attester: name, attester_id: naraId }
      return plaza.publish(
        TOPICS.checkpointVote,
        encodeCheckpointVote({ ...v, signature: sign(attestationMessage(v)) }),
      )
    },
    publishCheckpointFinal(event) {
      return plaza.publish(TOPICS.checkpointFinal, encodeSyncEvent(event as SyncEvent))
    },
    publishLedgerRequest(target, subjects) {
      return plaza.publish(
        ledgerRequestTopic(target),
        encodeLedgerRequest({ From: name, Subjects: subjects }),
      )
    },
    publishLedgerResponse(requester, events) {
      return plaza.publish(
        ledgerResponseTopic(requester),
        encodeLedgerResponse({ From: name, Events: events }),
      )
    },
    publishJourneyComplete(completion) {
      return plaza.publish(TOPICS.journeyComplete, encodeJourneyCompletion(completion))
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
  options.signal?.addEventListener('abort', () => void plaza.stop(), { once: true })
  return plaza
}
