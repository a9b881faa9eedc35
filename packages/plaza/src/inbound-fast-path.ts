/**
 * The stream of the inbound fast path (see `inbound-splitter.ts` for the splitting): MQTT.js
 * reaches it only through its public seam, {@link FastPathStream} being the stream given to
 * `new MqttClient(streamBuilder, options)`; no MQTT.js field is ever written.
 */
import { Duplex } from 'node:stream'
import { InboundSplitter } from './inbound-splitter.js'

/** Hooks of a {@link FastPathStream}. */
export interface FastPathHooks {
  /** May a QoS 0 publish skip MQTT.js now (connected, and MQTT.js has nothing in hand)? */
  fastOk(): boolean
  /** A QoS 0 publish taken on the fast path. */
  publish(topic: string, payload: Buffer): void
  /** Publish payloads over `maxPayloadBytes` are skipped unread and reported to `oversized`. */
  limit?: OversizeLimit | undefined
}

/** The payload cap below MQTT.js, and where skipped publishes are reported. */
export interface OversizeLimit {
  /** Largest publish payload read, in bytes. */
  readonly maxPayloadBytes: number
  /** A PUBLISH skipped unread (payload of `payloadBytes` bytes). */
  oversized(topic: string, payloadBytes: number): void
}

/**
 * The stream MQTT.js gets through its public constructor seam (`new MqttClient(builder, opts)`):
 * writes go to `socket` unchanged; reads are only the packets the splitter hands to the slow
 * path. QoS 0 publishes go to `hooks.publish` instead. Errors and close of the socket become
 * this stream's, so MQTT.js sees them as it would see the socket's.
 */
export class FastPathStream extends Duplex {
  readonly splitter: InboundSplitter
  readonly #socket: Duplex
  #paused = false
  #held = false

  constructor(socket: Duplex, hooks: FastPathHooks) {
    super({ allowHalfOpen: false })
    this.#socket = socket
    const limit = hooks.limit
    this.splitter = new InboundSplitter(
      {
        fastOk: hooks.fastOk,
        publish: (topic, payload) => hooks.publish(topic, payload),
        forward: (bytes) => {
          // Backpressure as `pipe` does it: stop reading until MQTT.js has caught up.
          if (!this.push(bytes) && !this.#paused) {
            this.#paused = true
            socket.pause()
          }
        },
        oversized: (topic, payloadBytes) => limit?.oversized(topic, payloadBytes),
      },
      limit?.maxPayloadBytes,
    )
    socket.on('data', (chunk: Buffer) => this.splitter.push(chunk))
    socket.once('end', () => this.push(null))
    socket.once('error', (err) => this.destroy(err))
    socket.once('close', () => this.destroy())
  }

  /** Stops (`false`) or resumes (`true`) reading the socket, whatever MQTT.js asks. */
  setReading(on: boolean): void {
    this.#held = !on
    if (on && !this.#paused) this.#socket.resume()
    else if (!on) this.#socket.pause()
  }

  override _read(): void {
    if (!this.#paused) return
    this.#paused = false
    if (!this.#held) this.#socket.resume()
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, done: (err?: Error | null) => void) {
    this.#socket.write(chunk, done)
  }

  override _final(done: (err?: Error | null) => void): void {
    this.#socket.end()
    done()
  }

  override _destroy(err: Error | null, done: (err?: Error | null) => void): void {
    this.#socket.destroy()
    done(err)
  }
}
