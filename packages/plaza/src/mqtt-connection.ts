import type { BrokerAddress } from './broker-url.js'
import { classifyConnectError } from './connect-errors.js'
import { BrokerUnreachableError, ConnectTimeoutError } from './errors.js'
import type { OversizeLimit } from './inbound-fast-path.js'
import { type Client, createClient } from './mqtt-client.js'

export { classifyConnectError } from './connect-errors.js'

/** TLS material for `mqtts://`/`wss://` (PEM strings or Buffers). */
export interface TlsOptions {
  /** CA certificate(s) to trust instead of/in addition to the system store. */
  ca?: string | Buffer | Array<string | Buffer>
  /** Client certificate for mutual TLS. */
  cert?: string | Buffer
  /** Client private key for mutual TLS. */
  key?: string | Buffer
  /** Server name for SNI and certificate checks; default the URL host. */
  servername?: string
  /**
   * DANGER: set to true to skip certificate verification (what Go naras do, WIRE.md §12.1).
   * A warning is logged on every connection attempt that uses it. Default false.
   */
  insecureSkipVerify?: boolean
  /**
   * How the user sets `ca`, named in the advice of a failed TLS handshake (default `tls.ca`; an
   * app says its own setting, e.g. `NARA_TLS_CA`).
   */
  caSetting?: string
}

/** Everything one connection attempt needs. */
export interface ConnectParams {
  address: BrokerAddress
  clientId: string
  username?: string | undefined
  password?: string | undefined
  tls?: TlsOptions | undefined
  /** MQTT keep-alive, in seconds. */
  keepaliveSeconds: number
  /**
   * Give up on an attempt after this long, in ms. This bounds real I/O, so it runs on the real
   * timers, never on the injected clock (advancing a fake clock must not abort live sockets).
   */
  connectTimeoutMs: number
  signal: AbortSignal
  /** Every PUBLISH received (fast path and MQTT.js alike), in the order the broker sent them. */
  onMessage: (topic: string, payload: Buffer) => void
  /**
   * TCP and TLS: PUBLISH payloads over the cap are skipped from their fixed header, unbuffered,
   * and reported here (WebSocket: MQTT.js reads them whole, `onMessage` gets them). MQTT 3.1.1
   * has no `maximumPacketSize` to tell the broker (MQTT 5 only).
   */
  limit?: OversizeLimit | undefined
}

/** A topic the broker refused (SUBACK failure code, or the SUBSCRIBE failed). */
export interface RefusedTopic {
  readonly topic: string
  readonly error: unknown
}

/**
 * One live broker connection (the port the receiver uses; MQTT.js stays behind it).
 */
export interface BrokerConnection {
  /** Broker URL without credentials. */
  readonly url: string
  readonly connected: boolean
  /**
   * Stops (`false`) or resumes (`true`) reading the socket: the broker queues for us meanwhile.
   * TCP and TLS only (a no-op on WebSocket).
   */
  setReading(on: boolean): void
  /** Publishes received below MQTT.js (the inbound fast path) so far. */
  readonly fastPublishes: number
  /** Subscribes (QoS 0 unless said). Resolves with the topics refused (empty when all were granted). */
  subscribe(topics: readonly string[], qos?: 0 | 1): Promise<RefusedTopic[]>
  /** Publishes, never retained. Rejects when the client cannot send it. */
  publish(topic: string, payload: Buffer | string, qos: 0 | 1): Promise<void>
  /** Called once when the connection closes after the connect (with the last error, if any). */
  onClose(listener: (error: Error | undefined) => void): void
  /** Ends the connection: gracefully (DISCONNECT, bounded by 1 s) or at once. Idempotent. */
  close(graceful: boolean): Promise<void>
}

/** The {@link BrokerConnection} over a connected MQTT.js client. */
function wrap({ client, fast, stream }: Client, url: string): BrokerConnection {
  let lastError: Error | undefined
  let closed: ((error: Error | undefined) => void) | undefined
  let ended: Promise<void> | undefined
  client.on('error', (err) => {
    lastError = err
  })
  client.once('close', () => closed?.(lastError))
  return {
    url,
    get connected() {
      return client.connected
    },
    setReading(on) {
      stream()?.setReading(on)
    },
    get fastPublishes() {
      return fast()
    },
    subscribe(topics, qos = 0) {
      return new Promise((resolve) => {
        client.subscribe([...topics], { qos }, (err, _granted, packet) => {
          if (err === null || err === undefined) return resolve([])
          // A SUBACK with failure codes names the refused topics; otherwise all of them failed.
          const codes = packet?.granted
          resolve(
            topics
              .filter((_, i) => {
                const code = Array.isArray(codes) ? (codes[i] as number | undefined) : undefined
                return typeof code !== 'number' || (code & 0x80) !== 0
              })
              .map((topic) => ({ topic, error: err })),
          )
        })
      })
    },
    async publish(topic, payload, qos) {
      await client.publishAsync(topic, payload, { qos, retain: false })
    },
    onClose(listener) {
      closed = listener
    },
    close(graceful) {
      closed = undefined
      client.removeAllListeners('message')
      ended ??= new Promise<void>((resolve) => {
        if (!graceful) {
          client.end(true, {}, () => resolve())
          return
        }
        const timer = setTimeout(() => client.end(true, {}, () => resolve()), 1000)
        client.end(false, {}, () => {
          clearTimeout(timer)
          resolve()
        })
      })
      return ended
    },
  }
}

/**
 * One connection attempt with MQTT.js, its own reconnect turned off (`reconnectPeriod: 0`),
 * MQTT 3.1.1, clean session, Nagle off, QoS 0 publishes received through the inbound fast path
 * (`inbound-fast-path.ts`; TCP and TLS). Resolves with the connection, or rejects with a typed
 * {@link ConnectError} (the client is then already ended). Never leaves a client behind.
 */
export function connectOnce(params: ConnectParams): Promise<BrokerConnection> {
  const { address } = params
  return new Promise<BrokerConnection>((resolve, reject) => {
    if (params.signal.aborted) {
      reject(params.signal.reason)
      return
    }
    const created = createClient(params)
    const { client } = created
    let settled = false
    let lastError: unknown
    const finish = (error: unknown | undefined): void => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      params.signal.removeEventListener('abort', onAbort)
      client.removeListener('connect', onConnect)
      client.removeListener('error', onError)
      client.removeListener('close', onClose)
      if (error === undefined) {
        resolve(wrap(created, address.url))
        return
      }
      // Swallow late errors of the abandoned client; it is ended at once.
      client.on('error', () => {})
      client.end(true)
      reject(error)
    }
    const onConnect = (): void => finish(undefined)
    const onError = (error: unknown): void => {
      lastError = error
      finish(classifyConnectError(error, address.url, params.tls?.caSetting))
    }
    const onClose = (): void => {
      finish(
        lastError === undefined
          ? new BrokerUnreachableError(
              `broker ${address.url} closed the connection before CONNACK`,
              { brokerUrl: address.url },
            )
          : classifyConnectError(lastError, address.url, params.tls?.caSetting),
      )
    }
    // An aborted signal always has a reason (an `AbortError` unless the caller gave one).
    const onAbort = (): void => finish(params.signal.reason)
    const timer = setTimeout(
      () =>
        finish(
          new ConnectTimeoutError(
            `broker ${address.url} did not answer CONNECT within ${params.connectTimeoutMs} ms`,
            { brokerUrl: address.url },
          ),
        ),
      params.connectTimeoutMs,
    )
    client.on('connect', onConnect)
    client.on('error', onError)
    client.on('close', onClose)
    params.signal.addEventListener('abort', onAbort, { once: true })
    client.connect()
  })
}
