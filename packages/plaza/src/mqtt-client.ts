/**
 * The MQTT.js client of one connection attempt: MQTT 3.1.1, clean session, its own reconnect
 * off, Nagle off. TCP and TLS get the inbound fast path (`inbound-fast-path.ts`) through MQTT.js's
 * public constructor seam (`new MqttClient(streamBuilder, options)`); WebSocket stays on
 * MQTT.js's own transport.
 */
import { createConnection, isIP, type Socket } from 'node:net'
import type { Duplex } from 'node:stream'
import { connect as tlsConnect } from 'node:tls'
import mqtt, { type IClientOptions, MqttClient } from 'mqtt'
import { FastPathStream } from './inbound-fast-path.js'
import type { ConnectParams } from './mqtt-connection.js'

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

/** Bytes of the one buffer a plain TCP socket reads into, again and again. */
const READ_BUFFER_BYTES = 64 * 1024

/**
 * The TCP or TLS socket, Nagle off (MQTT packets are small and latency matters). A TCP socket
 * reads into one reused buffer (`onread`) and hands each read to `onBytes` (then it emits no
 * `data`): a huge publish skipped as it streams past allocates nothing per read.
 */
function openSocket(params: ConnectParams, onBytes: (borrowed: Buffer) => void): Socket {
  const { address, tls } = params
  if (address.protocol === 'mqtt') {
    const socket = createConnection({
      host: address.host,
      port: address.port,
      onread: {
        buffer: Buffer.allocUnsafe(READ_BUFFER_BYTES),
        callback: (bytes: number, buffer: Uint8Array) => {
          onBytes((buffer as Buffer).subarray(0, bytes))
          return true // keep reading (backpressure pauses the socket itself)
        },
      },
    })
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
export interface Client {
  client: MqttClient
  fast: () => number
  stream: () => FastPathStream | undefined
}

export function createClient(params: ConnectParams): Client {
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
    const current: FastPathStream = new FastPathStream(
      openSocket(params, (borrowed) => current.splitter.pushBorrowed(borrowed)),
      {
        fastOk: () =>
          client.connected && stream === current && handed === current.splitter.forwarded,
        publish: params.onMessage,
        limit: params.limit,
      },
    )
    stream = current
    return current as Duplex as never
  }, options)
  client.on('packetreceive', () => {
    handed += 1
  })
  client.on('message', (topic, payload) => params.onMessage(topic, payload))
  return { client, fast: () => stream?.splitter.fast ?? 0, stream: () => stream }
}
