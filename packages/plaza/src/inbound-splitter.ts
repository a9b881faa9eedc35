/**
 * The splitter of the inbound fast path below MQTT.js (QoS 0 PUBLISH packets, MQTT 3.1.1; the
 * stream MQTT.js reads is `inbound-fast-path.ts`; the framing of a PUBLISH, `publish-frame.ts`).
 *
 * MQTT.js 5 runs every received packet through mqtt-packet (a BufferList, a state machine and
 * debug calls) and then one `process.nextTick` per packet. For a plaza that receives tens of
 * thousands of small QoS 0 publishes per second that costs about as much as decoding them. This
 * module splits the socket's bytes into packets itself: a complete QoS 0 PUBLISH goes straight to
 * the connection's message handler; EVERY other packet (CONNACK, SUBACK, PINGRESP, QoS 1/2
 * publishes, anything malformed) is handed to MQTT.js unchanged, as whole packets, in order.
 * MQTT.js is reached only through its public seam (`FastPathStream`, in `inbound-fast-path.ts`).
 *
 * Order is kept: a publish is only taken on the fast path while MQTT.js has nothing in hand
 * (every packet handed to it was announced as `'packetreceive'`); otherwise it is handed over
 * like the rest. Packets split across socket reads are reassembled (each byte is copied at most
 * once, when the packet is complete). A malformed fixed header (a remaining length longer than 4 bytes) turns the fast
 * path off for the connection: from there on every byte goes to MQTT.js, which reports it.
 *
 * Oversized publishes never reach memory: once a PUBLISH's fixed header, topic length and topic
 * are in (at most 5 + 2 + 65 535 bytes), a payload over `maxPayloadBytes` is reported
 * (`oversized`) and its bytes are dropped as they stream past, whatever the QoS (never buffered,
 * joined, or handed to MQTT.js).
 */

import {
  type OversizedPublish,
  oversizedPublish,
  PUBLISH_QOS0_RETAIN,
  qos0TopicEnd,
} from './publish-frame.js'

/** Callbacks of an {@link InboundSplitter}. */
export interface SplitterSink {
  /** May a complete QoS 0 publish be taken now (nothing pending in the slow path)? */
  fastOk(): boolean
  /** A QoS 0 publish taken on the fast path. `length` is its remaining length. */
  publish(topic: string, payload: Buffer, retain: boolean, length: number): void
  /** Whole packets (or, after a malformed header, raw bytes) for the slow path, in order. */
  forward(bytes: Buffer): void
  /** A PUBLISH skipped unread: its payload (`payloadBytes` long) is over the cap. */
  oversized?(topic: string, payloadBytes: number): void
}

const EMPTY = Buffer.alloc(0)
/** What a fixed header read returns when the bytes end inside it, or when it is malformed. */
const SPLIT = -1
const MALFORMED = -2

/**
 * Splits a byte stream into MQTT packets (see the module header). Independent of MQTT.js, so it
 * can be tested with any split of the bytes.
 */
export class InboundSplitter {
  readonly #sink: SplitterSink
  readonly #maxPayloadBytes: number
  /** Bytes of an incomplete packet, waiting for the rest. */
  #pending: Buffer[] = []
  #pendingBytes = 0
  /** Bytes needed before the pending packet can be looked at again. */
  #need = 0
  #passthrough = false
  /** Bytes of the oversized publish being skipped still to come. */
  #skip = 0
  /** The remaining length of the fixed header read last ({@link #readFixedHeader}). */
  #remaining = 0
  /** Publishes taken on the fast path, and packets handed to the slow path (counts). */
  fast = 0
  forwarded = 0
  /** Oversized publishes skipped unread, and their bytes (counts). */
  skipped = 0
  skippedBytes = 0

  /** `maxPayloadBytes`: larger publish payloads are skipped unread (default: none is). */
  constructor(sink: SplitterSink, maxPayloadBytes = Number.POSITIVE_INFINITY) {
    this.#sink = sink
    this.#maxPayloadBytes = maxPayloadBytes
  }

  /** Bytes held for an incomplete packet (never more than a packet within the cap, or a topic). */
  get bufferedBytes(): number {
    return this.#pendingBytes
  }

  /** Whether a malformed header switched the fast path off. */
  get passthrough(): boolean {
    return this.#passthrough
  }

  /**
   * Feeds bytes that live in a buffer the caller reuses for its next read (a socket's `onread`
   * buffer): bytes of an oversized publish being skipped are never copied, the rest is copied
   * once (the splitter and the pipeline may keep what they are given).
   */
  pushBorrowed(chunk: Buffer): void {
    if (!this.#passthrough && this.#skip > 0) {
      const n = Math.min(this.#skip, chunk.length)
      this.#skip -= n
      this.skippedBytes += n
      if (n === chunk.length) return
      chunk = chunk.subarray(n)
    }
    this.push(Buffer.from(chunk))
  }

  /** Feeds the next bytes read from the socket. */
  push(chunk: Buffer): void {
    if (this.#passthrough) {
      if (chunk.length > 0) this.#sink.forward(chunk)
      return
    }
    if (this.#skip > 0) {
      // The rest of an oversized publish: dropped as it streams past.
      const n = Math.min(this.#skip, chunk.length)
      this.#skip -= n
      this.skippedBytes += n
      if (n === chunk.length) return
      chunk = chunk.subarray(n)
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

  /** Splits `buf` (whole packets, then at most one incomplete packet kept for later). */
  #process(buf: Buffer): void {
    const n = buf.length
    let off = 0
    /** Start of a run of packets for the slow path (forwarded together), or -1. */
    let run = -1
    while (off < n) {
      const i = this.#readFixedHeader(buf, off)
      if (i === MALFORMED) {
        // Five or more length bytes: MQTT.js gets everything from here on.
        this.#passthrough = true
        this.#sink.forward(buf.subarray(run >= 0 ? run : off))
        return
      }
      if (i === SPLIT) break // header split across reads
      const remaining = this.#remaining
      const end = i + remaining
      // Only a packet longer than the cap can be an oversized publish: checked here, the call (and
      // its share of V8's inlining budget) stays off the usual path.
      const big =
        remaining > this.#maxPayloadBytes + 2
          ? oversizedPublish(buf, off, i - off, remaining, this.#maxPayloadBytes)
          : undefined
      if (big !== undefined) {
        if (big.topicEnd === undefined || big.topicEnd > n) break // topic split across reads
        run = this.#flushRun(buf, run, off)
        off = this.#skipOversized(buf, off, end, i + 2, big)
        continue
      }
      if (end > n) break // body split across reads
      const topicEnd = qos0TopicEnd(buf, off, i, remaining)
      if (topicEnd >= 0) {
        run = this.#flushRun(buf, run, off)
        if (this.#sink.fastOk()) {
          this.#takeFast(buf, off, i, topicEnd, remaining)
          off = end
          continue
        }
      }
      if (run < 0) run = off
      this.forwarded++
      off = end
    }
    if (run >= 0) this.#sink.forward(buf.subarray(run, off))
    if (off < n) this.#keep(buf.subarray(off), false)
  }

  /**
   * Reads the fixed header of the packet at `off`: the offset just past it (its remaining length
   * in `#remaining`), or {@link SPLIT} when the bytes end inside it, or {@link MALFORMED}.
   */
  #readFixedHeader(buf: Buffer, off: number): number {
    const n = buf.length
    // Remaining length: 1 to 4 bytes, 7 bits each, least significant first.
    let remaining = 0
    let multiplier = 1
    let i = off + 1
    for (let k = 0; k < 4 && i < n; k++) {
      const b = buf[i++] as number
      remaining += (b & 0x7f) * multiplier
      if ((b & 0x80) === 0) {
        this.#remaining = remaining
        return i
      }
      multiplier *= 128
    }
    return i - off > 4 ? MALFORMED : SPLIT
  }

  /** Forwards the run of slow-path packets before `off`, if any; returns the new run (-1). */
  #flushRun(buf: Buffer, run: number, off: number): number {
    if (run >= 0) this.#sink.forward(buf.subarray(run, off))
    return -1
  }

  /**
   * Skips the oversized publish at `off` (ending at `end`, maybe beyond `buf`; its topic starts
   * at `topicStart`) and reports it; returns the offset after what of it `buf` holds.
   */
  #skipOversized(
    buf: Buffer,
    off: number,
    end: number,
    topicStart: number,
    big: OversizedPublish,
  ): number {
    const n = buf.length
    const next = Math.min(end, n)
    this.skipped++
    this.skippedBytes += next - off
    this.#skip = Math.max(0, end - n)
    const topic = buf.toString('utf8', topicStart, big.topicEnd)
    try {
      this.#sink.oversized?.(topic, big.payloadBytes as number)
    } catch (error) {
      if (next < n) this.#keep(buf.subarray(next), true)
      throw error
    }
    return next
  }

  /**
   * Hands the QoS 0 publish at `off` (fixed header ending at `i`, topic at `topicEnd`) to the
   * sink: the fast path.
   */
  #takeFast(buf: Buffer, off: number, i: number, topicEnd: number, remaining: number): void {
    const end = i + remaining
    const topic = buf.toString('utf8', i + 2, topicEnd)
    const payload = buf.subarray(topicEnd, end)
    this.fast++
    try {
      this.#sink.publish(topic, payload, buf[off] === PUBLISH_QOS0_RETAIN, remaining)
    } catch (error) {
      // A throwing listener must not lose the packets behind it: keep them for later.
      if (end < buf.length) this.#keep(buf.subarray(end), true)
      throw error
    }
  }

  /** Keeps `rest` (an incomplete packet, or unprocessed packets when `redrive`) for later. */
  #keep(rest: Buffer, redrive: boolean): void {
    this.#pending = [rest]
    this.#pendingBytes = rest.length
    this.#need = redrive ? 0 : rest.length + 1
    if (!redrive) {
      // With the whole header here, wait for the whole packet (or, for a publish that may be
      // over the cap, just for its topic).
      const hdr = this.#readFixedHeader(rest, 0)
      if (hdr > 0) {
        const big = oversizedPublish(rest, 0, hdr, this.#remaining, this.#maxPayloadBytes)
        this.#need = big === undefined ? hdr + this.#remaining : big.need
      }
    } else {
      process.nextTick(() => this.push(EMPTY))
    }
  }
}
