/**
 * A bare MQTT 3.1.1 publisher on a TCP socket: CONNECT (clean session, no keep-alive), then
 * QoS 0 PUBLISH packets written in batches, or one huge PUBLISH streamed in chunks. The attack
 * drivers use it instead of MQTT.js so the publisher keeps pace (a PUBLISH is a few bytes of
 * header around the payload, no per-message bookkeeping).
 */
import { connect, type Socket } from 'node:net'

/** The variable-length "remaining length" of an MQTT fixed header. */
function remainingLength(n: number): Buffer {
  const out: number[] = []
  let x = n
  do {
    let b = x % 128
    x = Math.floor(x / 128)
    if (x > 0) b |= 0x80
    out.push(b)
  } while (x > 0)
  return Buffer.from(out)
}

const str = (s: string) => {
  const b = Buffer.from(s, 'utf8')
  const len = Buffer.alloc(2)
  len.writeUInt16BE(b.length)
  return Buffer.concat([len, b])
}

/** The header of a QoS 0 PUBLISH of `payloadBytes` bytes on `topic` (the payload follows). */
export function publishHeader(topic: string, payloadBytes: number): Buffer {
  const t = str(topic)
  return Buffer.concat([Buffer.from([0x30]), remainingLength(t.length + payloadBytes), t])
}

/** A whole QoS 0 PUBLISH packet. */
export function publishPacket(topic: string, payload: Uint8Array): Buffer {
  return Buffer.concat([publishHeader(topic, payload.length), payload])
}

export interface RawPublisher {
  readonly socket: Socket
  /** Writes packets; resolves when the socket can take more (backpressure). */
  write(packets: Buffer): Promise<void>
  close(): Promise<void>
}

/** A TCP connection to `mqtt://host:port` after a successful CONNACK (clean session). */
async function rawConnect(url: string, clientId: string): Promise<Socket> {
  const { hostname, port } = new URL(url)
  const socket = connect({ host: hostname, port: Number(port), noDelay: true })
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve)
    socket.once('error', reject)
  })
  const variable = Buffer.concat([str('MQTT'), Buffer.from([4, 0x02, 0, 0])])
  const body = Buffer.concat([variable, str(clientId)])
  socket.write(Buffer.concat([Buffer.from([0x10]), remainingLength(body.length), body]))
  await new Promise<void>((resolve, reject) => {
    socket.once('data', (d: Buffer) => {
      if (d[0] === 0x20 && d[3] === 0) resolve()
      else reject(new Error(`CONNACK refused: ${d.toString('hex')}`))
    })
    socket.once('error', reject)
  })
  return socket
}

/** Connects a publisher (see {@link RawPublisher}). */
export async function rawPublisher(url: string, clientId: string): Promise<RawPublisher> {
  const socket = await rawConnect(url, clientId)
  socket.on('data', () => {}) // keep reading (the broker sends nothing else to a publisher)
  return {
    socket,
    write: (packets) =>
      new Promise((resolve, reject) => {
        if (socket.destroyed) return reject(new Error('publisher socket closed'))
        if (socket.write(packets)) resolve()
        else socket.once('drain', resolve)
      }),
    close: () =>
      new Promise((resolve) => {
        if (socket.destroyed) return resolve()
        socket.end(Buffer.from([0xe0, 0x00]), () => resolve())
      }),
  }
}

/**
 * Publishes one QoS 0 message of `totalBytes` filler bytes on `topic`, streamed in 1 MiB chunks
 * (the payload is never whole in this process).
 */
export async function publishHuge(p: RawPublisher, topic: string, totalBytes: number) {
  await p.write(publishHeader(topic, totalBytes))
  const chunk = Buffer.alloc(1024 * 1024, 0x61)
  for (let left = totalBytes; left > 0; left -= chunk.length) {
    await p.write(left >= chunk.length ? chunk : chunk.subarray(0, left))
  }
}

/**
 * A subscriber that counts, per topic, the QoS 0 PUBLISH packets it receives and their payload
 * bytes (nothing is decoded or kept).
 */
export async function rawCounter(url: string, filter: string) {
  const socket = await rawConnect(url, `count-${Math.random().toString(16).slice(2, 10)}`)
  const counts = new Map<string, { messages: number; bytes: number }>()
  let pending: Buffer = Buffer.alloc(0)
  let subacked: () => void = () => {}
  const subscribed = new Promise<void>((resolve) => {
    subacked = resolve
  })
  socket.on('data', (d: Buffer) => {
    pending = pending.length === 0 ? d : Buffer.concat([pending, d])
    for (;;) {
      let len = 0
      let mul = 1
      let i = 1
      for (; i < pending.length && i < 5; i++) {
        len += ((pending[i] as number) & 0x7f) * mul
        mul *= 128
        if (((pending[i] as number) & 0x80) === 0) break
      }
      if (i >= pending.length || pending.length < i + 1 + len) return
      const packet = pending.subarray(i + 1, i + 1 + len)
      if (((pending[0] as number) & 0xf0) === 0x30) {
        const topicLen = packet.readUInt16BE(0)
        const topic = packet.subarray(2, 2 + topicLen).toString('utf8')
        const c = counts.get(topic) ?? { messages: 0, bytes: 0 }
        c.messages++
        c.bytes += len - 2 - topicLen
        counts.set(topic, c)
      } else if (pending[0] === 0x90) subacked()
      pending = pending.subarray(i + 1 + len)
    }
  })
  const body = Buffer.concat([Buffer.from([0, 1]), str(filter), Buffer.from([0])])
  socket.write(Buffer.concat([Buffer.from([0x82]), remainingLength(body.length), body]))
  await subscribed
  return {
    counts,
    total(prefix: string) {
      let messages = 0
      let bytes = 0
      for (const [t, c] of counts) {
        if (!t.startsWith(prefix)) continue
        messages += c.messages
        bytes += c.bytes
      }
      return { messages, bytes }
    },
    close: () => socket.destroy(),
  }
}
