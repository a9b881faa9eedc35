/**
 * `nara watch --raw`: the bytes as the broker delivered them, unverified, one JSON line per
 * message (`{"time", "topic", "payload_b64"}`), the input format of `nara verify --batch`. A
 * capture taken here can be verified later, or elsewhere, against any keyring.
 *
 * One MQTT.js client on the first broker of the list, with MQTT.js's own reconnect (every 2 s,
 * re-subscribing); subscribes to the `--topic` pattern, or to the plaza's topics.
 */
import { randomBytes } from 'node:crypto'
import { subscriptionTopics } from '@nara/protocol'
import mqtt, { type IClientOptions, type MqttClient } from 'mqtt'
import type { BrokerSettings } from './config.js'
import { WEBSOCKET_PATH } from './doctor-mqtt.js'
import { BrokerError } from './errors.js'
import type { ConnectionNote } from './plaza-session.js'
import { readTlsFiles } from './tls-files.js'

export interface RawCaptureOptions {
  /** An MQTT pattern; default the plaza's topics (as a listener: no ledger topics). */
  topic: string | undefined
  connectTimeoutMs: number
  signal: AbortSignal
  onMessage: (line: { time: string; topic: string; payload_b64: string }) => void
  onConnectionNote: (note: ConnectionNote) => void
}

/** The plaza topics a listener subscribes to (a Go nara's twelve, minus its own ledger topics). */
export function rawTopics(topic: string | undefined): string[] {
  if (topic !== undefined) return [topic]
  return subscriptionTopics('x').filter((t) => !t.startsWith('nara/ledger/'))
}

async function clientOptions(broker: BrokerSettings, timeoutMs: number): Promise<IClientOptions> {
  const options: IClientOptions = {
    protocol: broker.protocol,
    host: broker.host,
    hostname: broker.host,
    port: broker.port,
    clientId: `nara-capture-${randomBytes(6).toString('hex')}`,
    protocolVersion: 4,
    clean: true,
    keepalive: 30,
    connectTimeout: timeoutMs,
    reconnectPeriod: 2000,
  }
  if (broker.protocol === 'ws' || broker.protocol === 'wss') options.path = WEBSOCKET_PATH
  if (broker.username !== undefined) options.username = broker.username
  if (broker.password !== undefined) options.password = broker.password
  if (broker.tls) {
    Object.assign(options, await readTlsFiles(broker))
    options.rejectUnauthorized = !broker.tlsInsecure
  }
  return options
}

/** Connects and subscribes; resolves with a stop function once the first SUBACK arrived. */
export async function startRawCapture(
  broker: BrokerSettings,
  options: RawCaptureOptions,
): Promise<() => Promise<void>> {
  const client = mqtt.connect(await clientOptions(broker, options.connectTimeoutMs))
  client.on('message', (topic, payload) =>
    options.onMessage({
      time: new Date().toISOString(),
      topic,
      payload_b64: Buffer.from(payload).toString('base64'),
    }),
  )
  try {
    await firstSubscription(client, broker.url, rawTopics(options.topic), options)
  } catch (error) {
    client.end(true)
    throw error
  }
  let ending = false
  client.on('offline', () => {
    if (!ending)
      options.onConnectionNote({
        level: 'warning',
        text: `disconnected from ${broker.url}; reconnecting`,
      })
  })
  client.on('connect', () =>
    options.onConnectionNote({ level: 'info', text: `reconnected to ${broker.url}` }),
  )
  return () => {
    ending = true
    return new Promise<void>((resolve) => client.end(false, {}, () => resolve()))
  }
}

function firstSubscription(
  client: MqttClient,
  url: string,
  topics: string[],
  options: RawCaptureOptions,
): Promise<void> {
  return new Promise((resolve, reject) => {
    let lastError: Error | undefined
    const done = (error?: Error) => {
      clearTimeout(timer)
      options.signal.removeEventListener('abort', onAbort)
      client.removeListener('connect', onConnect)
      client.removeListener('error', onError)
      client.on('error', () => {})
      if (error) reject(error)
      else resolve()
    }
    const timer = setTimeout(
      () =>
        done(
          new BrokerError(
            `no connection to ${url} within ${options.connectTimeoutMs} ms${lastError ? `: ${lastError.message}` : ''}`,
          ),
        ),
      options.connectTimeoutMs,
    )
    const onAbort = () =>
      done(new BrokerError('interrupted while connecting', 'run the command again'))
    options.signal.addEventListener('abort', onAbort, { once: true })
    function onError(error: Error) {
      lastError = error
      if (typeof (error as { code?: unknown }).code === 'number') {
        done(
          new BrokerError(
            `${url} refused the connection: ${error.message}`,
            'check MQTT_USER and MQTT_PASS (or run `nara doctor`)',
            error,
          ),
        )
      }
    }
    function onConnect() {
      client.subscribe(topics, { qos: 0 }, (error, granted) => {
        if (error) {
          return done(
            new BrokerError(`subscribing on ${url} failed: ${error.message}`, undefined, error),
          )
        }
        if (granted?.some((g) => g.qos === 128)) {
          return done(
            new BrokerError(
              `${url} refused the subscription to ${topics.join(', ')}`,
              'check the broker ACL for this user',
            ),
          )
        }
        done()
      })
    }
    client.on('error', onError)
    client.once('connect', onConnect)
  })
}
