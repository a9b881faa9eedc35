/**
 * The inbound fast path: QoS 0 PUBLISH packets are split out of the socket bytes below MQTT.js;
 * every other packet reaches MQTT.js whole and in order. Unit tests feed random packet streams
 * cut at random points; integration tests run `connectOnce` against a real aedes broker.
 */

import { PassThrough } from 'node:stream'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { seededRandom } from '@nara/vitest-config/random'
import mqtt from 'mqtt'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { parseBrokerUrl } from '../src/broker-url.js'
import { FastPathStream } from '../src/inbound-fast-path.js'
import { InboundSplitter, type SplitterSink } from '../src/inbound-splitter.js'
import { connectOnce } from '../src/mqtt-connection.js'

function varint(n: number): number[] {
  const out: number[] = []
  do {
    let b = n % 128
    n = Math.floor(n / 128)
    if (n > 0) b |= 0x80
    out.push(b)
  } while (n > 0)
  return out
}

function packet(first: number, body: Buffer): Buffer {
  return Buffer.concat([Buffer.from([first, ...varint(body.length)]), body])
}

function publish(topic: string, payload: Buffer, qos = 0, flags = 0): Buffer {
  const t = Buffer.from(topic, 'utf8')
  const head = Buffer.from([t.length >> 8, t.length & 0xff])
  const id = qos > 0 ? Buffer.from([0x12, 0x34]) : Buffer.alloc(0)
  return packet(0x30 | (qos << 1) | flags, Buffer.concat([head, t, id, payload]))
}

/** Splits a well-formed byte stream into whole packets (the test's reference framing). */
function frames(bytes: Buffer): Buffer[] {
  const out: Buffer[] = []
  let off = 0
  while (off < bytes.length) {
    let i = off + 1
    let len = 0
    let mul = 1
    for (;;) {
      const b = bytes[i++] as number
      len += (b & 0x7f) * mul
      mul *= 128
      if ((b & 0x80) === 0) break
    }
    out.push(bytes.subarray(off, i + len))
    off = i + len
  }
  return out
}

interface Received {
  kind: 'fast' | 'slow'
  bytes: Buffer
  topic?: string
  payload?: Buffer
  retain?: boolean
}

function recorder(fastOk: () => boolean) {
  const events: Received[] = []
  const sink: SplitterSink = {
    fastOk,
    publish(topic, payload, retain, length) {
      const bytes = publish(topic, payload, 0, retain ? 1 : 0)
      // The remaining length reported is the packet's own.
      expect(length).toBe(bytes.length - 1 - varint(length).length)
      events.push({ kind: 'fast', bytes, topic, payload: Buffer.from(payload), retain })
    },
    forward(bytes) {
      // Copy: the splitter hands out views of socket buffers.
      events.push({ kind: 'slow', bytes: Buffer.from(bytes) })
    },
  }
  return { sink, events }
}

/** A random mix of packets: QoS 0/1/2 publishes (small and large), acks, pings, a CONNACK. */
function randomStream(rand: () => number, count: number): { bytes: Buffer; packets: Buffer[] } {
  const packets: Buffer[] = []
  for (let n = 0; n < count; n++) {
    const r = rand()
    const sizes = [0, 1, 100, 125, 126, 127, 128, 300, 16_380, 16_384, 70_000]
    const size = sizes[Math.floor(rand() * sizes.length)] as number
    const payload = Buffer.alloc(size, n % 251)
    const topic = rand() < 0.2 ? `nara/newspaper/naïve-${n}` : 'nara/plaza/social'
    if (r < 0.55) packets.push(publish(topic, payload))
    else if (r < 0.62)
      packets.push(publish(topic, payload, 0, 1)) // retain
    else if (r < 0.67)
      packets.push(publish(topic, payload, 0, 8)) // DUP on QoS 0: not ours
    else if (r < 0.75) packets.push(publish(topic, payload, 1))
    else if (r < 0.8) packets.push(publish(topic, payload, 2))
    else if (r < 0.85)
      packets.push(packet(0x90, Buffer.from([0, 1, 0]))) // SUBACK
    else if (r < 0.9)
      packets.push(packet(0xd0, Buffer.alloc(0))) // PINGRESP
    else if (r < 0.95)
      packets.push(packet(0x40, Buffer.from([0x12, 0x34]))) // PUBACK
    else packets.push(packet(0x30, Buffer.from([0x00]))) // publish too short for a topic length
  }
  return { bytes: Buffer.concat(packets), packets }
}

function cut(rand: () => number, bytes: Buffer, maxPiece: number): Buffer[] {
  const pieces: Buffer[] = []
  let off = 0
  while (off < bytes.length) {
    const r = rand()
    const len = r < 0.1 ? 1 : r < 0.2 ? 2 : 1 + Math.floor(rand() * maxPiece)
    // Copies, like socket reads (never views of one another).
    pieces.push(Buffer.from(bytes.subarray(off, off + len)))
    off += len
  }
  return pieces
}

describe('InboundSplitter', () => {
  it('hands every byte on, in order, whole packets only, for any cut of the stream', () => {
    for (let seed = 1; seed <= 60; seed++) {
      const rand = seededRandom(seed)
      const { bytes, packets } = randomStream(rand, 80)
      // The slow path is sometimes busy: then publishes must go to it too (ordering).
      const { sink, events } = recorder(() => rand() < 0.8)
      const splitter = new InboundSplitter(sink)
      for (const piece of cut(rand, bytes, seed % 2 === 0 ? 64 : 20_000)) splitter.push(piece)
      // Byte-exact, in order: fast publishes re-encode to their own packet bytes.
      expect(Buffer.concat(events.map((e) => e.bytes)).equals(bytes), `seed ${seed}`).toBe(true)
      const out = events.flatMap((e) => (e.kind === 'fast' ? [e.bytes] : frames(e.bytes)))
      expect(out.length).toBe(packets.length)
      for (const e of events) {
        if (e.kind !== 'fast') continue
        expect([0x30, 0x31]).toContain(e.bytes[0])
      }
      expect(splitter.fast + splitter.forwarded).toBe(packets.length)
      expect(splitter.fast).toBeGreaterThan(0)
      expect(splitter.passthrough).toBe(false)
    }
  })

  it('decodes topic (UTF-8), payload and retain of a fast publish', () => {
    const { sink, events } = recorder(() => true)
    const splitter = new InboundSplitter(sink)
    const big = Buffer.alloc(200_000, 7)
    splitter.push(Buffer.concat([publish('nara/newspaper/zoë', Buffer.from('{"a":1}'), 0, 1)]))
    const p = publish('nara/plaza/social', big)
    splitter.push(p.subarray(0, 3))
    splitter.push(p.subarray(3, 70_000))
    splitter.push(p.subarray(70_000))
    expect(events).toHaveLength(2)
    expect(events[0]).toMatchObject({ kind: 'fast', topic: 'nara/newspaper/zoë', retain: true })
    expect(events[0]?.payload?.toString()).toBe('{"a":1}')
    expect(events[1]).toMatchObject({ kind: 'fast', topic: 'nara/plaza/social', retain: false })
    expect(events[1]?.payload?.equals(big)).toBe(true)
  })

  it('sends QoS 1/2, DUP, acks and publishes with a bad topic length to the slow path', () => {
    const { sink, events } = recorder(() => true)
    const splitter = new InboundSplitter(sink)
    const qos1 = publish('t', Buffer.from('x'), 1)
    const dup = publish('t', Buffer.from('x'), 0, 8)
    const suback = packet(0x90, Buffer.from([0, 1, 0]))
    const badTopic = packet(0x30, Buffer.from([0x00, 0x09, 0x61]))
    splitter.push(Buffer.concat([qos1, dup, suback, badTopic]))
    expect(events).toEqual([{ kind: 'slow', bytes: Buffer.concat([qos1, dup, suback, badTopic]) }])
    expect(splitter.fast).toBe(0)
    expect(splitter.forwarded).toBe(4)
  })

  it('hands everything to the slow path from a remaining length of 5+ bytes on', () => {
    const { sink, events } = recorder(() => true)
    const splitter = new InboundSplitter(sink)
    const ok = publish('t', Buffer.from('x'))
    const bad = Buffer.from([0x30, 0xff, 0xff, 0xff, 0xff, 0x01, 0x00])
    splitter.push(Buffer.concat([ok, bad.subarray(0, 3)]))
    splitter.push(Buffer.concat([bad.subarray(3), ok]))
    splitter.push(ok)
    expect(splitter.passthrough).toBe(true)
    expect(events.map((e) => e.kind)).toEqual(['fast', 'slow', 'slow'])
    expect(Buffer.concat(events.map((e) => e.bytes)).equals(Buffer.concat([ok, bad, ok, ok]))).toBe(
      true,
    )
  })

  it('keeps the packets behind a throwing listener and delivers them on the next tick', async () => {
    const topics: string[] = []
    const splitter = new InboundSplitter({
      fastOk: () => true,
      publish(topic) {
        topics.push(topic)
        if (topic === 'boom') throw new Error('listener failed')
      },
      forward() {},
    })
    const stream = Buffer.concat([
      publish('a', Buffer.alloc(1)),
      publish('boom', Buffer.alloc(1)),
      publish('b', Buffer.alloc(1)),
      publish('c', Buffer.alloc(1)),
    ])
    expect(() => splitter.push(stream)).toThrow('listener failed')
    expect(topics).toEqual(['a', 'boom'])
    await new Promise((r) => process.nextTick(r))
    expect(topics).toEqual(['a', 'boom', 'b', 'c'])
  })
})

describe('oversized publishes', () => {
  const MiB = 1024 * 1024

  it('skips a publish over the cap from its header, whatever the QoS, for any cut of the stream', () => {
    for (let seed = 1; seed <= 40; seed++) {
      const rand = seededRandom(seed)
      const { sink, events } = recorder(() => rand() < 0.8)
      const skipped: Array<[string, number]> = []
      sink.oversized = (topic, bytes) => skipped.push([topic, bytes])
      const splitter = new InboundSplitter(sink, 1000)
      const small = publish('nara/plaza/social', Buffer.from('{"ok":1}'))
      const ack = packet(0x40, Buffer.from([0x12, 0x34]))
      const atCap = publish('nara/plaza/zoë', Buffer.alloc(1000, 1), 1)
      const big0 = publish('nara/plaza/social', Buffer.alloc(1001 + seed * 97, 2))
      const big1 = publish('nara/newspaper/zoë', Buffer.alloc(5000, 3), 1)
      const kept = [small, ack, atCap, small]
      const bytes = Buffer.concat([small, big0, ack, atCap, big1, small])
      for (const piece of cut(rand, bytes, seed % 2 === 0 ? 7 : 3000)) splitter.push(piece)
      expect(
        Buffer.concat(events.map((e) => e.bytes)).equals(Buffer.concat(kept)),
        `seed ${seed}`,
      ).toBe(true)
      expect(skipped).toEqual([
        ['nara/plaza/social', 1001 + seed * 97],
        ['nara/newspaper/zoë', 5000],
      ])
      expect([splitter.skipped, splitter.skippedBytes]).toEqual([2, big0.length + big1.length])
      expect(splitter.bufferedBytes).toBe(0)
    }
  })

  it('a fake socket feeding a 64 MiB publish in chunks: never more than one chunk held', () => {
    const socket = new PassThrough()
    const got: string[] = []
    const skipped: number[] = []
    const stream = new FastPathStream(socket, {
      fastOk: () => true,
      publish: (topic) => got.push(topic),
      limit: { maxPayloadBytes: 64 * 1024, oversized: (_topic, bytes) => skipped.push(bytes) },
    })
    let maxHeld = 0
    socket.on('data', () => {
      maxHeld = Math.max(maxHeld, stream.splitter.bufferedBytes)
    }) // after the stream's own listener: sees what it kept
    const payloadBytes = 64 * MiB
    const head = publish('nara/plaza/social', Buffer.alloc(0))
    // The header claims the whole payload; the body streams in 64 KiB reads, never all at once.
    const header = Buffer.concat([
      Buffer.from([0x30, ...varint(head.length - 2 + payloadBytes)]),
      head.subarray(2),
    ])
    // Socket reads, delivered synchronously as a socket's 'data' events.
    const read = (bytes: Buffer) => socket.emit('data', bytes)
    read(header.subarray(0, 2))
    read(header.subarray(2))
    const chunk = Buffer.alloc(64 * 1024, 0x61)
    for (let sent = 0; sent < payloadBytes; sent += chunk.length) read(chunk)
    read(publish('nara/plaza/chau', Buffer.from('{}')))
    expect(skipped).toEqual([payloadBytes])
    expect(got).toEqual(['nara/plaza/chau'])
    expect(maxHeld).toBeLessThanOrEqual(header.length)
    expect(stream.splitter.skippedBytes).toBe(header.length + payloadBytes)
    stream.destroy()
  })
})

describe('connectOnce with the inbound fast path (aedes)', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const done of cleanup.splice(0).reverse()) await done()
  })

  it('delivers QoS 0 and QoS 1 publishes to onMessage, in order, through the public seam', async () => {
    const broker: TestBroker = await startAedes()
    cleanup.push(() => broker.close())
    const got: Array<{ topic: string; payload: string }> = []
    const connection = await connectOnce({
      address: parseBrokerUrl(broker.url),
      clientId: `fast-${Date.now()}`,
      keepaliveSeconds: 30,
      connectTimeoutMs: 5000,
      signal: new AbortController().signal,
      onMessage: (topic, payload) => got.push({ topic, payload: payload.toString() }),
    })
    cleanup.push(() => connection.close(true))
    // QoS 1 subscription: QoS 1 publishes take MQTT.js's own path, between fast ones.
    expect(await connection.subscribe(['fast/#'], 1)).toEqual([])
    const pub = await mqtt.connectAsync(broker.url, { reconnectPeriod: 0 })
    cleanup.push(() => pub.endAsync())
    const sent: Array<{ topic: string; payload: string }> = []
    for (let i = 0; i < 300; i++) {
      const qos = i % 7 === 3 ? 1 : 0
      const m = { topic: `fast/${i % 3}`, payload: `m-${i}-${'x'.repeat(i * 3)}` }
      sent.push(m)
      await pub.publishAsync(m.topic, m.payload, { qos: qos as 0 | 1 })
    }
    await vi.waitFor(() => expect(got.length).toBe(sent.length), { timeout: 10_000 })
    expect(got).toEqual(sent)
    expect(connection.fastPublishes).toBeGreaterThan(0)
    expect(connection.fastPublishes).toBeLessThan(sent.length)
    // Still alive on MQTT.js's own path: another SUBSCRIBE round trip works.
    expect(await connection.subscribe(['other/#'])).toEqual([])
    expect(connection.connected).toBe(true)
  })
})
