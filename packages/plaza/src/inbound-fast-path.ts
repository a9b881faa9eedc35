/**
 * An inbound fast path below MQTT.js for QoS 0 PUBLISH packets (MQTT 3.1.1).
 *
 * MQTT.js 5 runs every received packet through mqtt-packet (a BufferList, a state machine and
 * debug calls) and then one `process.nextTick` per packet. For a plaza that receives tens of
 * thousands of small QoS 0 publishes per second that costs about as much as decoding them. This
 * module splits the socket's bytes into packets itself: a complete QoS 0 PUBLISH goes straight to
 * the connection's message handler; EVERY other packet (CONNACK, SUBACK, PINGRESP, QoS 1/2
 * publishes, anything malformed) is handed to MQTT.js unchanged, as whole packets, in order.
 * MQTT.js is reached only through its public seam: {@link FastPathStream} is the stream given
 * to `new MqttClient(streamBuilder, options)`; no MQTT.js field is ever written.
 *
 * Order is kept: a publish is only taken on the fast path while MQTT.js has nothing in hand
 * (every packet handed to it was announced as `'packetreceive'`); otherwise it is handed over like the rest. Packets
 * split across socket reads are reassembled (each byte is copied at most once, when the packet is
 * complete). A malformed fixed header (a remaining length longer than 4 bytes) turns the fast
 * path off for the connection: from there on every byte goes to MQTT.js, which reports it.
 */
import { Duplex } from 'node:stream'

/** Callbacks of an {@link InboundSplitter}. */
export interface SplitterSink {
  /** May a complete QoS 0 publish be taken now (nothing pending in the slow path)? */
  fastOk(): boolean
  /** A QoS 0 publish taken on the fast path. `length` is its remaining length. */
  publish(topic: string, payload: Buffer, retain: boolean, length: number): void
  /** Whole packets (or, after a malformed header, raw bytes) for the slow path, in order. */
  forward(bytes: Buffer): void
}

const EMPTY = Buffer.alloc(0)
/** PUBLISH, QoS 0, DUP 0, RETAIN 0 / 1 (a QoS 0 publish must not carry DUP). */
const PUBLISH_QOS0 = 0x30
const PUBLISH_QOS0_RETAIN = 0x31

/**
 * Splits a byte stream into MQTT packets (see the module header). Independent of MQTT.js, so it
 * can be tested with any split of the bytes.
 */
export class InboundSplitter {
  readonly #sink: SplitterSink
  /** Bytes of an incomplete packet, waiting for the rest. */
  #pending: Buffer[] = []
  #pendingBytes = 0
  /** Bytes needed before the pending packet can be looked at again. */
  #need = 0
  #passthrough = false
  /** Publishes taken on the fast path, and packets handed to the slow path (counts). */
  fast = 0
  forwarded = 0

  constructor(sink: SplitterSink) {
    this.#sink = sink
  }

  /** Whether a malformed header switched the fast path off. */
  get passthrough(): boolean {
    return this.#passthrough
  }

  /** Feeds the next bytes read from the socket. */
  push(chunk: Buffer): void {
    if (this.#passthrough) {
      if (chunk.length > 0) this.#sink.forward(chunk)
      return
    }
    let buf = chunk
    if (this.#pendingBytes > 0) {
      this.#pending.push(chunk)
      this.#pendingBytes += chunk.length
      // A large packet arrives in many reads: copy it once, when it is complete.
      if (this.#pendingBytes < this.#need) return
      buf =
        this.#pending.length === 1
          ? (this.#pending[0] as Buffer)
          : Buffer.concat(this.#pending, this.#pendingBytes)
      this.#pending = []
      this.#pendingBytes = 0
    }
    this.#process(buf)
  }

  #process(buf: Buffer): void {
    const n = buf.length
    const sink = this.#sink
    let off = 0
    /** Start of a run of packets for the slow path (forwarded together), or -1. */
    let run = -1
    while (off < n) {
      const b0 = buf[off] as number
      // Remaining length: 1 to 4 bytes, 7 bits each, least significant first.
      let remaining = 0
      let multiplier = 1
      let i = off + 1
      let complete = false
      for (let k = 0; k < 4 && i < n; k++) {
        const b = buf[i++] as number
        remaining += (b & 0x7f) * multiplier
        if ((b & 0x80) === 0) {
          complete = true
          break
        }
        multiplier *= 128
      }
      if (!complete) {
        if (i - off > 4) {
          // Five or more length bytes: malformed. MQTT.js gets everything from here on.
          this.#passthrough = true
          sink.forward(buf.subarray(run >= 0 ? run : off))
          return
        }
        break // header split across reads
      }
      const end = i + remaining
      if (end > n) break // body split across reads
      if ((b0 === PUBLISH_QOS0 || b0 === PUBLISH_QOS0_RETAIN) && remaining >= 2) {
        const topicEnd = i + 2 + (((buf[i] as number) << 8) | (buf[i + 1] as number))
        if (topicEnd <= end) {
          if (run >= 0) {
            sink.forward(buf.subarray(run, off))
            run = -1
          }
          if (sink.fastOk()) {
            const topic = buf.toString('utf8', i + 2, topicEnd)
            const payload = buf.subarray(topicEnd, end)
            off = end
            this.fast++
            try {
              sink.publish(topic, payload, b0 === PUBLISH_QOS0_RETAIN, remaining)
            } catch (error) {
              // A throwing listener must not lose the packets behind it: keep them for later.
              if (off < n) this.#keep(buf.subarray(off), true)
              throw error
            }
            continue
          }
        }
      }
      if (run < 0) run = off
      this.forwarded++
      off = end
    }
    if (run >= 0) sink.forward(buf.subarray(run, off))
    if (off < n) this.#keep(buf.subarray(off), false)
  }

  /** Keeps `rest` (an incomplete packet, or unprocessed packets when `redrive`) for later. */
  #keep(rest: Buffer, redrive: boolean): void {
    this.#pending = [rest]
    this.#pendingBytes = rest.length
    this.#need = redrive ? 0 : rest.length + 1
    if (!redrive) {
      // With the whole header here, wait for the whole packet.
      let remaining = 0
      let multiplier = 1
      for (let i = 1; i < rest.length && i <= 4; i++) {
        const b = rest[i] as number
        remaining += (b & 0x7f) * multiplier
        if ((b & 0x80) === 0) {
          this.#need = i + 1 + remaining
          break
        }
        multiplier *= 128
      }
    } else {
      process.nextTick(() => this.push(EMPTY))
    }
  }
}

/** Hooks of a {@link FastPathStream}. */
export interface FastPathHooks {
  /** May a QoS 0 publish skip MQTT.js now (connected, and MQTT.js has nothing in hand)? */
  fastOk(): boolean
  /** A QoS 0 publish taken on the fast path. */
  publish(topic: string, payload: Buffer): void
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
    this.splitter = new InboundSplitter({
      fastOk: hooks.fastOk,
      publish: (topic, payload) => hooks.publish(topic, payload),
      forward: (bytes) => {
        // Backpressure as `pipe` does it: stop reading until MQTT.js has caught up.
        if (!this.push(bytes) && !this.#paused) {
          this.#paused = true
          socket.pause()
        }
      },
    })
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
