/**
 * The MQTT steps of `nara doctor` (credentials, subscribe, round trip) over MQTT.js: one client
 * with its own reconnect turned off, MQTT 3.1.1, clean session, each step bounded by the doctor
 * timeout and failing with a {@link DoctorMqttError} that says what the broker answered (the
 * CONNACK return code, the SUBACK granted QoS), so the doctor can name the fix. Works for every
 * scheme MQTT.js speaks: `mqtt`, `mqtts`, `ws` and `wss`.
 *
 * DNS, TCP and the TLS chain are checked before this, with Node's own modules (`doctor.ts`).
 */
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { BrokerProtocol } from './config.js'

/** WebSocket path, the same one `@nara/plaza` uses when the broker URL names none. */
export const WEBSOCKET_PATH = '/mqtt'

/**
 * What went wrong: `refused` (CONNACK return code in `returnCode`), `denied` (SUBACK 0x80),
 * `timeout` (no answer in time), `closed` (the broker hung up), `transport` (the socket or the
 * WebSocket upgrade failed).
 */
export type DoctorMqttErrorCode = 'refused' | 'denied' | 'timeout' | 'closed' | 'transport'

export class DoctorMqttError extends Error {
  override name = 'DoctorMqttError'
  constructor(
    message: string,
    readonly code: DoctorMqttErrorCode,
    readonly returnCode?: number,
  ) {
    super(message)
  }
}

export interface DoctorMqttOptions {
  protocol: BrokerProtocol
  host: string
  port: number
  clientId: string
  username?: string | undefined
  password?: string | undefined
  /** PEM of the CA to trust (TLS schemes only); default the system store. */
  ca?: string | undefined
  /** Verify the broker certificate (TLS schemes only). */
  rejectUnauthorized: boolean
  /** Bound for each broker answer (CONNACK, SUBACK, PUBACK, our own message), in ms. */
  timeoutMs: number
  /** MQTT keep-alive in seconds (default 30, like the Go naras). */
  keepaliveS?: number
}

/** A connected session; every method is bounded by `timeoutMs`. */
export interface DoctorMqttSession {
  /** SUBSCRIBE at QoS 1; resolves with the granted QoS, throws `denied` on 0x80. */
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
export function connectDoctorSession(options: DoctorMqttOptions): Promise<DoctorMqttSession> {
  const secure = options.protocol === 'mqtts' || options.protocol === 'wss'
  const clientOptions: IClientOptions = {
    protocol: options.protocol,
    host: options.host,
    hostname: options.host,
    port: options.port,
    clientId: options.clientId,
    protocolVersion: 4,
    clean: true,
    keepalive: options.keepaliveS ?? 30,
    // Our own timer below names the failure; this only makes sure MQTT.js gives up too.
    connectTimeout: options.timeoutMs + 1000,
    reconnectPeriod: 0,
    resubscribe: false,
    queueQoSZero: false,
  }
  if (options.protocol === 'ws' || options.protocol === 'wss') clientOptions.path = WEBSOCKET_PATH
  if (options.username !== undefined) clientOptions.username = options.username
  if (options.password !== undefined) clientOptions.password = options.password
  if (secure) {
    clientOptions.rejectUnauthorized = options.rejectUnauthorized
    if (options.ca !== undefined) clientOptions.ca = options.ca
  }

  return new Promise((resolve, reject) => {
    const client = mqtt.connect(clientOptions)
    let lastError: Error | undefined
    const finish = (error?: DoctorMqttError) => {
      clearTimeout(timer)
      client.removeListener('connect', onConnect)
      client.removeListener('error', onError)
      client.removeListener('close', onClose)
      if (error) {
        client.on('error', () => {})
        client.end(true)
        reject(error)
      } else {
        resolve(sessionOf(client, options.timeoutMs))
      }
    }
    const onConnect = () => finish()
    const onError = (error: Error) => {
      lastError = error
      const code = (error as { code?: unknown }).code
      if (typeof code === 'number') {
        const reason = error.message.replace(/^Connection refused:\s*/i, '') || 'refused'
        finish(
          new DoctorMqttError(
            `the broker refused the connection: ${reason.toLowerCase()} (CONNACK return code ${code})`,
            'refused',
            code,
          ),
        )
      }
      // Other errors (socket, TLS, WebSocket upgrade) are followed by 'close'.
    }
    const onClose = () =>
      finish(
        lastError
          ? new DoctorMqttError(
              `the connection failed before CONNACK: ${describe(lastError)}`,
              'transport',
            )
          : new DoctorMqttError('the broker closed the connection before CONNACK', 'closed'),
      )
    const timer = setTimeout(
      () =>
        finish(
          new DoctorMqttError(
            lastError
              ? `no CONNACK in ${options.timeoutMs} ms (${describe(lastError)})`
              : `no CONNACK from the broker in ${options.timeoutMs} ms`,
            'timeout',
          ),
        ),
      options.timeoutMs,
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

function sessionOf(client: MqttClient, timeoutMs: number): DoctorMqttSession {
  let closedError: DoctorMqttError | undefined
  client.on('error', () => {
    // Reported through 'close' and the bounded waits below.
  })
  client.on('close', () => {
    closedError ??= new DoctorMqttError('the broker closed the connection', 'closed')
  })

  /** Waits for `work`, failing on timeout or when the connection closes first. */
  const bounded = <T>(
    what: () => string,
    work: (resolve: (value: T) => void, reject: (e: Error) => void) => () => void,
  ): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (closedError) {
        reject(closedError)
        return
      }
      let cleanup = () => {}
      const done = (error: Error | undefined, value?: T) => {
        clearTimeout(timer)
        client.removeListener('close', onClose)
        cleanup()
        if (error) reject(error)
        else resolve(value as T)
      }
      const onClose = () =>
        done(
          new DoctorMqttError(`the broker closed the connection (waiting for ${what()})`, 'closed'),
        )
      const timer = setTimeout(
        () => done(new DoctorMqttError(`no ${what()} in ${timeoutMs} ms`, 'timeout')),
        timeoutMs,
      )
      client.on('close', onClose)
      cleanup = work(
        (value) => done(undefined, value),
        (error) => done(error),
      )
    })

  return {
    subscribe: (topic) =>
      bounded<number>(
        () => 'SUBACK from the broker',
        (resolve, reject) => {
          client.subscribe(topic, { qos: 1 }, (error, _subs, suback) => {
            // The SUBACK as received (MQTT.js reports a refusal as an error without the code).
            const granted = suback?.granted[0]
            const qos = typeof granted === 'number' ? granted : undefined
            if (qos === 0x80) {
              reject(
                new DoctorMqttError(
                  `the broker refused the subscription to ${topic} (SUBACK 0x80)`,
                  'denied',
                  0x80,
                ),
              )
            } else if (error || qos === undefined) {
              reject(
                new DoctorMqttError(
                  `subscribing to ${topic} failed: ${error ? describe(error) : 'no SUBACK'}`,
                  'transport',
                ),
              )
            } else {
              resolve(qos)
            }
          })
          return () => {}
        },
      ),

    roundTrip: (topic, payload) => {
      let acked = false
      let received = false
      return bounded<void>(
        () =>
          acked
            ? `copy of our message on ${topic} (the PUBACK came)`
            : received
              ? `PUBACK for our message on ${topic} (its copy came back)`
              : `PUBACK and no copy of our message on ${topic}`,
        (resolve, reject) => {
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
              reject(
                new DoctorMqttError(
                  `publishing on ${topic} failed: ${describe(error)}`,
                  'transport',
                ),
              )
              return
            }
            acked = true
            check()
          })
          return () => client.removeListener('message', onMessage)
        },
      )
    },

    close: () =>
      new Promise<void>((resolve) => {
        if (closedError || !client.connected) {
          client.end(true, {}, () => resolve())
          return
        }
        const timer = setTimeout(() => client.end(true, {}, () => resolve()), timeoutMs)
        client.end(false, {}, () => {
          clearTimeout(timer)
          resolve()
        })
      }),
  }
}

function describe(error: Error): string {
  const code = (error as NodeJS.ErrnoException).code
  return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message
}
