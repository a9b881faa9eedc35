import { createConnection, isIP, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { connect as tlsConnect } from 'node:tls'
import mqtt, { type IClientOptions, MqttClient } from 'mqtt'
import type { BrokerAddress } from './broker-url.js'
import {
  AuthRefusedError,
  BrokerRefusedError,
  BrokerUnreachableError,
  type ConnectError,
  ConnectTimeoutError,
  TlsError,
} from './errors.js'
import { FastPathStream } from './inbound-fast-path.js'

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

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
])

/** Maps whatever MQTT.js or the socket reported to one of our typed errors. */
export function classifyConnectError(error: unknown, url: string): ConnectError {
  const err = error instanceof Error ? error : new Error(String(error))
  const code = (err as { code?: unknown }).code
  if (typeof code === 'number') {
    // CONNACK return code (MQTT 3.1.1) or reason code (MQTT 5).
    if (code === 4 || code === 5 || code === 134 || code === 135) {
      return new AuthRefusedError(
        `broker ${url} refused the credentials (${err.message}); check username and password`,
        { brokerUrl: url, cause: err },
      )
    }
    return new BrokerRefusedError(`broker ${url} refused the connection: ${err.message}`, {
      brokerUrl: url,
      cause: err,
    })
  }
  const library = (err as { library?: unknown }).library
  if (
    (typeof code === 'string' &&
      (code.startsWith('ERR_TLS') ||
        code.startsWith('ERR_SSL') ||
        /CERT|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO|HOSTNAME|ALTNAME/.test(code))) ||
    library === 'SSL routines' ||
    err.message === 'TLS not authorized'
  ) {
    return new TlsError(
      `TLS handshake with ${url} failed: ${err.message}${typeof code === 'string' ? ` (${code})` : ''}` +
        ' — pass the broker CA in tls.ca, or check the host name',
      { brokerUrl: url, cause: err },
    )
  }
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new BrokerUnreachableError(`broker ${url} is unreachable: ${err.message}`, {
      brokerUrl: url,
      cause: err,
    })
  }
  return new BrokerUnreachableError(`connection to ${url} failed: ${err.message}`, {
    brokerUrl: url,
    cause: err,
  })
}

/** MQTT.js options for one attempt: 3.1.1, clean session, its own reconnect off. */
function clientOptions(params: ConnectParams): IClientOptions {
  const { address, tls } = params
  const options: IClientOptions = {
    protocol: address.protocol,
    host: address.host,
    hostname: address.host,
    port: address.port,
    clientId: params.clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: params.keepaliveSeconds,
    connectTimeout: params.connectTimeoutMs + 1000,
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
    manualConnect: true,
  }
  if (address.path !== undefined) options.path = address.path
  if (params.username !== undefined) options.username = params.username
  if (params.password !== undefined) options.password = params.password
  if (isSecure(params)) {
    options.rejectUnauthorized = tls?.insecureSkipVerify !== true
    if (tls?.ca !== undefined) options.ca = tls.ca as IClientOptions['ca']
    if (tls?.cert !== undefined) options.cert = tls.cert as IClientOptions['cert']
    if (tls?.key !== undefined) options.key = tls.key as IClientOptions['key']
    if (tls?.servername !== undefined) options.servername = tls.servername
  }
  return options
}

const isSecure = (params: ConnectParams): boolean =>
  params.address.protocol === 'mqtts' || params.address.protocol === 'wss'

/** The TCP or TLS socket, Nagle off (MQTT packets are small and latency matters). */
function openSocket(params: ConnectParams): Socket {
  const { address, tls } = params
  if (address.protocol === 'mqtt') {
    const socket = createConnection({ host: address.host, port: address.port })
    socket.setNoDelay(true)
    return socket
  }
  const socket = tlsConnect({
    host: address.host,
    port: address.port,
    servername: tls?.servername ?? (isIP(address.host) !== 0 ? undefined : address.host),
    rejectUnauthorized: tls?.insecureSkipVerify !== true,
    ...(tls?.ca === undefined ? {} : { ca: tls.ca }),
    ...(tls?.cert === undefined ? {} : { cert: tls.cert }),
    ...(tls?.key === undefined ? {} : { key: tls.key }),
  })
  socket.setNoDelay(true)
  return socket
}

/**
 * The MQTT.js client. TCP and TLS get the inbound fast path through MQTT.js's public constructor
 * seam (`new MqttClient(streamBuilder, options)`); WebSocket stays on MQTT.js's own transport.
 */
interface Client {
  client: MqttClient
  fast: () => number
  stream: () => FastPathStream | undefined
}

function createClient(params: ConnectParams): Client {
  const options = clientOptions(params)
  if (params.address.protocol !== 'mqtt' && params.address.protocol !== 'mqtts') {
    const client = mqtt.connect(options)
    client.on('message', (topic, payload) => params.onMessage(topic, payload))
    return { client, fast: () => 0, stream: () => undefined }
  }
  let handed = 0
  let stream: FastPathStream | undefined
  const client: MqttClient = new MqttClient(() => {
    handed = 0
    stream = new FastPathStream(openSocket(params), {
      fastOk: () =>
        client.connected && stream !== undefined && handed === stream.splitter.forwarded,
      publish: params.onMessage,
    })
    return stream as Duplex as never
  }, options)
  client.on('packetreceive', () => {
    handed += 1
  })
  client.on('message', (topic, payload) => params.onMessage(topic, payload))
  return { client, fast: () => stream?.splitter.fast ?? 0, stream: () => stream }
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
      finish(classifyConnectError(error, address.url))
    }
    const onClose = (): void => {
      finish(
        lastError === undefined
          ? new BrokerUnreachableError(
              `broker ${address.url} closed the connection before CONNACK`,
              { brokerUrl: address.url },
            )
          : classifyConnectError(lastError, address.url),
      )
    }
    const onAbort = (): void => finish(params.signal.reason ?? new Error('aborted'))
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
