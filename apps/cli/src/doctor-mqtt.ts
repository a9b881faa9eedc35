/**
 * The MQTT steps of `nara doctor` (credentials, subscribe, round trip) over MQTT.js: one client
 * with its own reconnect turned off, MQTT 3.1.1, clean session, each step bounded by the doctor
 * timeout and failing with one of the `Mqtt*Error` classes of `errors.ts` that says what the
 * broker answered (the CONNACK return code, the SUBACK granted QoS), so the doctor can name the
 * fix. Works for every
 * scheme MQTT.js speaks: `mqtt`, `mqtts`, `ws` and `wss`.
 *
 * DNS, TCP and the TLS chain are checked before this, with Node's own modules (`doctor.ts`).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { BrokerProtocol } from './config.js'
import {
  type CliError,
  errorText,
  MqttClosedError,
  MqttRefusedError,
  MqttSubscribeDeniedError,
  MqttTimeoutError,
  MqttTransportError,
} from './errors.js'

/** WebSocket path, the same one `@nara/plaza` uses when the broker URL names none. */
export const WEBSOCKET_PATH = '/mqtt'

export interface DoctorMqttOptions {
  protocol: BrokerProtocol
  host: string
  port: number
  clientId: string
  username?: string | undefined
  password?: string | undefined
  /** PEM of the CA to trust (TLS schemes only); default the system store. */
  ca?: string | undefined
  /** PEM client certificate and key for mTLS (TLS schemes only). */
  cert?: string | undefined
  key?: string | undefined
  /** Verify the broker certificate (TLS schemes only). */
  rejectUnauthorized: boolean
  /** Bound for each broker answer (CONNACK, SUBACK, PUBACK, our own message), in ms. */
  timeoutMs: number
  /** MQTT keep-alive in seconds (default 30, like the Go naras). */
  keepaliveS?: number
}

/** A connected session; every method is bounded by `timeoutMs`. */
export interface DoctorMqttSession {
  /** SUBSCRIBE at QoS 1; resolves with the granted QoS, throws `MqttSubscribeDeniedError` on 0x80. */
  subscribe(topic: string): Promise<number>
  /**
   * PUBLISH `payload` on `topic` at QoS 1 and wait for both the PUBACK and our own copy
   * (subscribe to `topic` first).
   */
  roundTrip(topic: string, payload: Buffer): Promise<void>
  /** DISCONNECT and close; never throws. */
  close(): Promise<void>
}

/** CONNECT; resolves once the broker accepted (CONNACK 0). */
export async function connectDoctorSession(options: DoctorMqttOptions): Promise<DoctorMqttSession> {
  const client = mqtt.connect(clientOptionsFor(options))
  await connack(client, options.timeoutMs)
  return sessionOf(client, options.timeoutMs)
}

/** MQTT 3.1.1, clean session, MQTT.js's own reconnect off; TLS options on TLS schemes only. */
function clientOptionsFor(options: DoctorMqttOptions): IClientOptions {
  const clientOptions: IClientOptions = {
    protocol: options.protocol,
    host: options.host,
    hostname: options.host,
    port: options.port,
    clientId: options.clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: options.keepaliveS ?? 30,
    // Our own timer names the failure; this only makes sure MQTT.js gives up too.
    connectTimeout: options.timeoutMs + 1000,
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
  }
  if (options.protocol === 'ws' || options.protocol === 'wss') clientOptions.path = WEBSOCKET_PATH
  if (options.username !== undefined) clientOptions.username = options.username
  if (options.password !== undefined) clientOptions.password = options.password
  if (options.protocol === 'mqtts' || options.protocol === 'wss') {
    clientOptions.rejectUnauthorized = options.rejectUnauthorized
    if (options.ca !== undefined) clientOptions.ca = options.ca
    if (options.cert !== undefined) clientOptions.cert = options.cert
    if (options.key !== undefined) clientOptions.key = options.key
  }
  return clientOptions
}

/** Waits for CONNACK 0; on any other outcome ends the client and rejects with what happened. */
function connack(client: MqttClient, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined
    const finish = (error?: CliError) => {
      clearTimeout(timer)
      client.removeListener('connect', onConnect)
      client.removeListener('error', onError)
      client.removeListener('close', onClose)
      if (!error) return resolve()
      client.on('error', () => {})
      client.end(true)
      reject(error)
    }
    const onConnect = () => finish()
    const onError = (error: Error) => {
      lastError = error
      const code = (error as { code?: unknown }).code
      if (typeof code === 'number') finish(refusal(error, code))
      // Other errors (socket, TLS, WebSocket upgrade) are followed by 'close'.
    }
    const onClose = () =>
      finish(
        lastError
          ? new MqttTransportError(
              `the connection failed before CONNACK: ${errorText(lastError)}`,
              lastError,
            )
          : new MqttClosedError('the broker closed the connection before CONNACK'),
      )
    const timer = setTimeout(
      () =>
        finish(
          new MqttTimeoutError(
            lastError
              ? `no CONNACK in ${timeoutMs} ms (${errorText(lastError)})`
              : `no CONNACK from the broker in ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    )
    client.on('connect', onConnect)
    client.on('error', onError)
    client.on('close', onClose)
    // MQTT.js keeps some stream errors to itself (a refused socket, a failed WebSocket upgrade
    // such as "Unexpected server response: 404"); they are the best detail for the failure.
    client.stream?.on('error', (error: Error) => {
      lastError ??= error
    })
  })
}

/** MQTT.js reports a CONNACK refusal as an error whose `code` is the return code. */
function refusal(error: Error, returnCode: number): MqttRefusedError {
  const reason = error.message.replace(/^Connection refused:\s*/i, '') || 'refused'
  return new MqttRefusedError(
    `the broker refused the connection: ${reason.toLowerCase()} (CONNACK return code ${returnCode})`,
    returnCode,
  )
}

/** Runs `work` until it settles, failing on timeout or when the connection closes first. */
type Bounded = <T>(
  what: () => string,
  work: (resolve: (value: T) => void, reject: (e: Error) => void) => () => void,
) => Promise<T>

function boundedBy(client: MqttClient, timeoutMs: number): Bounded {
  let closedError: MqttClosedError | undefined
  client.on('error', () => {
    // Reported through 'close' and the bounded waits below.
  })
  client.on('close', () => {
    closedError ??= new MqttClosedError('the broker closed the connection')
  })
  return <T>(
    what: () => string,
    work: (resolve: (value: T) => void, reject: (e: Error) => void) => () => void,
  ) =>
    new Promise<T>((resolve, reject) => {
      if (closedError) return reject(closedError)
      let cleanup = () => {}
      const done = (error: Error | undefined, value?: T) => {
        clearTimeout(timer)
        client.removeListener('close', onClose)
        cleanup()
        if (error) reject(error)
        else resolve(value as T)
      }
      const onClose = () =>
        done(new MqttClosedError(`the broker closed the connection (waiting for ${what()})`))
      const timer = setTimeout(
        () => done(new MqttTimeoutError(`no ${what()} in ${timeoutMs} ms`)),
        timeoutMs,
      )
      client.on('close', onClose)
      cleanup = work(
        (value) => done(undefined, value),
        (error) => done(error),
      )
    })
}

function sessionOf(client: MqttClient, timeoutMs: number): DoctorMqttSession {
  const bounded = boundedBy(client, timeoutMs)
  return {
    subscribe: (topic) => bounded(() => 'SUBACK from the broker', subscribeWork(client, topic)),
    roundTrip: (topic, payload) => roundTrip(client, bounded, topic, payload),
    close: () => closeClient(client, timeoutMs),
  }
}

function subscribeWork(client: MqttClient, topic: string) {
  return (resolve: (qos: number) => void, reject: (e: Error) => void) => {
    client.subscribe(topic, { qos: 1 }, (error, _subs, suback) => {
      // The SUBACK as received (MQTT.js reports a refusal as an error without the code).
      const granted = suback?.granted[0]
      const qos = typeof granted === 'number' ? granted : undefined
      if (qos === 0x80) {
        reject(
          new MqttSubscribeDeniedError(
            `the broker refused the subscription to ${topic} (SUBACK 0x80)`,
          ),
        )
      } else if (error || qos === undefined) {
        const why = error ? errorText(error) : 'no SUBACK'
        reject(new MqttTransportError(`subscribing to ${topic} failed: ${why}`, error))
      } else {
        resolve(qos)
      }
    })
    return () => {}
  }
}

function roundTrip(
  client: MqttClient,
  bounded: Bounded,
  topic: string,
  payload: Buffer,
): Promise<void> {
  let acked = false
  let received = false
  const waitingFor = () =>
    acked
      ? `copy of our message on ${topic} (the PUBACK came)`
      : received
        ? `PUBACK for our message on ${topic} (its copy came back)`
        : `PUBACK and no copy of our message on ${topic}`
  return bounded<void>(waitingFor, (resolve, reject) => {
    const check = () => {
      if (acked && received) resolve()
    }
    const onMessage = (got: string, body: Buffer) => {
      if (got === topic && body.equals(payload)) {
        received = true
        check()
      }
    }
    client.on('message', onMessage)
    client.publish(topic, payload, { qos: 1 }, (error) => {
      if (error) {
        reject(new MqttTransportError(`publishing on ${topic} failed: ${errorText(error)}`, error))
        return
      }
      acked = true
      check()
    })
    return () => client.removeListener('message', onMessage)
  })
}

/** DISCONNECT (bounded by `timeoutMs`), or just close a connection that is already gone. */
function closeClient(client: MqttClient, timeoutMs: number): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!client.connected) {
      client.end(true, {}, () => resolve())
      return
    }
    const timer = setTimeout(() => client.end(true, {}, () => resolve()), timeoutMs)
    client.end(false, {}, () => {
      clearTimeout(timer)
      resolve()
    })
  })
}
