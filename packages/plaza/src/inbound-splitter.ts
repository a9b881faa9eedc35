/**
 * The splitter of the inbound fast path below MQTT.js (QoS 0 PUBLISH packets, MQTT 3.1.1; the
 * stream MQTT.js reads is `inbound-fast-path.ts`).
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

/** PUBLISH of any QoS/flags: the packet type in the high nibble. */
const isPublish = (b0: number): boolean => b0 >> 4 === 3

/**
 * For a PUBLISH whose remaining length may exceed the cap: how many bytes from the packet start
 * (`hdr` = fixed header length) are needed to decide (fixed header, topic length, topic), and,
 * once they are in `buf` at `off`, the payload length and topic end; undefined when the packet
 * is not an oversized publish.
 */
function oversizedPublish(
  buf: Buffer,
  off: number,
  hdr: number,
  remaining: number,
  maxPayloadBytes: number,
): { need: number; payloadBytes?: number; topicEnd?: number } | undefined {
  const b0 = buf[off] as number
  if (!isPublish(b0) || remaining <= maxPayloadBytes + 2) return undefined
  const at = off + hdr
  if (buf.length < at + 2) return { need: hdr + 2 }
  const topicLength = ((buf[at] as number) << 8) | (buf[at + 1] as number)
  const packetId = (b0 >> 1) & 3 ? 2 : 0
  const payloadBytes = remaining - 2 - topicLength - packetId
  if (payloadBytes <= maxPayloadBytes) return undefined
  const topicEnd = at + 2 + topicLength
  return { need: hdr + 2 + topicLength, payloadBytes, topicEnd }
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
  readonly #maxPayloadBytes: number
  /** Bytes of an incomplete packet, waiting for the rest. */
  #pending: Buffer[] = []
  #pendingBytes = 0
  /** Bytes needed before the pending packet can be looked at again. */
  #need = 0
  #passthrough = false
  /** Bytes of the oversized publish being skipped still to come. */
  #skip = 0
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
      const big = oversizedPublish(buf, off, i - off, remaining, this.#maxPayloadBytes)
      if (big !== undefined) {
        if (big.topicEnd === undefined || big.topicEnd > n) break // topic split across reads
        if (run >= 0) {
          sink.forward(buf.subarray(run, off))
          run = -1
        }
        this.skipped++
        this.skippedBytes += Math.min(end, n) - off
        this.#skip = Math.max(0, end - n)
        const topic = buf.toString('utf8', i + 2, big.topicEnd)
        off = Math.min(end, n)
        try {
          sink.oversized?.(topic, big.payloadBytes as number)
        } catch (error) {
          if (off < n) this.#keep(buf.subarray(off), true)
          throw error
        }
        continue
      }
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
      // With the whole header here, wait for the whole packet (or, for a publish that may be
      // over the cap, just for its topic).
      let remaining = 0
      let multiplier = 1
      for (let i = 1; i < rest.length && i <= 4; i++) {
        const b = rest[i] as number
        remaining += (b & 0x7f) * multiplier
        if ((b & 0x80) === 0) {
          const big = oversizedPublish(rest, 0, i + 1, remaining, this.#maxPayloadBytes)
          this.#need = big === undefined ? i + 1 + remaining : big.need
          break
        }
        multiplier *= 128
      }
    } else {
      process.nextTick(() => this.push(EMPTY))
    }
  }
}
