import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { BrokerAddress } from './broker-url.js'
import {
  AuthRefusedError,
  BrokerRefusedError,
  BrokerUnreachableError,
  type ConnectError,
  ConnectTimeoutError,
  TlsError,
} from './errors.js'
import { installInboundFastPath } from './inbound-fast-path.js'

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

/**
 * One connection attempt with MQTT.js, its own reconnect turned off (`reconnectPeriod: 0`),
 * MQTT 3.1.1, clean session, Nagle off, QoS 0 publishes received through the inbound fast path
 * (`inbound-fast-path.ts`; TCP and TLS). Resolves with the connected client, or rejects with a
 * typed {@link ConnectError} (the client is then already ended). Never leaves a client behind.
 */
export function connectOnce(params: ConnectParams): Promise<MqttClient> {
  const { address, tls } = params
  const secure = address.protocol === 'mqtts' || address.protocol === 'wss'
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
  if (secure) {
    options.rejectUnauthorized = tls?.insecureSkipVerify !== true
    if (tls?.ca !== undefined) options.ca = tls.ca as IClientOptions['ca']
    if (tls?.cert !== undefined) options.cert = tls.cert as IClientOptions['cert']
    if (tls?.key !== undefined) options.key = tls.key as IClientOptions['key']
    if (tls?.servername !== undefined) options.servername = tls.servername
  }

  return new Promise<MqttClient>((resolve, reject) => {
    if (params.signal.aborted) {
      reject(params.signal.reason)
      return
    }
    const client = mqtt.connect(options)
    // QoS 0 publishes skip mqtt-packet and MQTT.js's per-packet tick (same 'message' event).
    installInboundFastPath(client)
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
        resolve(client)
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
              {
                brokerUrl: address.url,
              },
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
    // Node leaves Nagle on; MQTT packets are small and latency matters (TCP and TLS sockets).
    const stream = client.stream as { setNoDelay?: (noDelay: boolean) => unknown } | undefined
    stream?.setNoDelay?.(true)
  })
}
