/**
 * The framing of an MQTT PUBLISH, as the inbound splitter reads it straight from the socket's
 * bytes (`inbound-splitter.ts`): is a complete packet a QoS 0 publish for the fast path, and is a
 * publish over the payload cap (decided from its fixed header, topic length and topic alone).
 */

/** PUBLISH, QoS 0, DUP 0, RETAIN 0 / 1 (a QoS 0 publish must not carry DUP). */
const PUBLISH_QOS0 = 0x30
export const PUBLISH_QOS0_RETAIN = 0x31

/** PUBLISH of any QoS/flags: the packet type in the high nibble. */
const isPublish = (b0: number): boolean => b0 >> 4 === 3

/** What {@link oversizedPublish} learnt of a publish over the cap. */
export interface OversizedPublish {
  /** Bytes from the packet start needed to decide (fixed header, topic length, topic). */
  need: number
  /** Set once the topic is in: the payload length, and where the topic ends. */
  payloadBytes?: number
  topicEnd?: number
}

/**
 * For a PUBLISH whose remaining length may exceed the cap: how many bytes from the packet start
 * (`hdr` = fixed header length) are needed to decide (fixed header, topic length, topic), and,
 * once they are in `buf` at `off`, the payload length and topic end; undefined when the packet
 * is not an oversized publish.
 */
export function oversizedPublish(
  buf: Buffer,
  off: number,
  hdr: number,
  remaining: number,
  maxPayloadBytes: number,
): OversizedPublish | undefined {
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

/**
 * For a complete packet at `off` whose fixed header ends at `i`: where the topic ends when it is
 * a QoS 0 PUBLISH with its topic inside the packet (taken on the fast path), else -1.
 */
export function qos0TopicEnd(buf: Buffer, off: number, i: number, remaining: number): number {
  const b0 = buf[off] as number
  if ((b0 !== PUBLISH_QOS0 && b0 !== PUBLISH_QOS0_RETAIN) || remaining < 2) return -1
  const topicEnd = i + 2 + (((buf[i] as number) << 8) | (buf[i + 1] as number))
  return topicEnd <= i + remaining ? topicEnd : -1
}
