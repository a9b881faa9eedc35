/**
 * The four oracle tests named by the plaza notes (WIRE.md §11), each run against an in-process
 * aedes broker and a real mosquitto child process. Time is a manual clock and chance a scripted
 * random source: no test sleeps to wait out jitter or backoff, and nothing asserts a duration.
 */
import { buildHeyThere, buildSocial, keypairFromSoul, parseSoul } from '@nara/crypto'
import { signNewspaperStatus } from '@nara/crypto/wire'
import {
  encodeNewspaperBytes,
  encodeSyncEvent,
  type NaraStatus,
  newspaperTopic,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import { BROKERS, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Plaza, PlazaEvent } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import {
  dropsCounted,
  makePlaza,
  nextEvent,
  SOULS,
  scriptedRandom,
  startAndJoin,
} from './helpers.js'
import { nextMessage, rawClient } from './raw-client.js'

const NS = 1_000_000n
const enc = new TextEncoder()

function signerOf(name: keyof typeof SOULS) {
  const kp = keypairFromSoul(parseSoul(SOULS[name]))
  return { name, seed: kp.seed, publicKey: kp.publicKey }
}

function sampleStatus(buzz: number): NaraStatus {
  return {
    LicensePlate: '',
    Flair: '💎',
    HostStats: {
      Uptime: 86400,
      LoadAvg: 0.25,
      MemAllocMB: 12,
      MemSysMB: 30,
      MemHeapMB: 20,
      MemStackMB: 1,
      NumGoroutines: 42,
      NumGC: 7,
      ProcCPUPercent: 1.5,
    },
    Chattiness: 73,
    Buzz: buzz,
    Observations: null,
    Trend: '',
    TrendEmoji: '',
    Personality: { Agreeableness: 10, Sociability: 20, Chill: 30 },
    Aura: { primary: '#aabbcc', secondary: '#ddeeff' },
    Version: '0.2.0',
    PublicUrl: '',
    PublicKey: '',
    ID: '',
    MeshEnabled: false,
    MeshIP: '',
  } as NaraStatus
}

describe.each(BROKERS)('plaza oracle on $name', ({ name: brokerName, start }) => {
  let broker: TestBroker
  const plazas: Plaza[] = []
  const track = <T extends { plaza: Plaza }>(t: T): T => {
    plazas.push(t.plaza)
    return t
  }
  beforeAll(async () => {
    broker = await start()
  })
  afterEach(async () => {
    await Promise.all(plazas.splice(0).map((p) => p.stop()))
  })
  afterAll(() => broker.close())

  it('TestMQTT_ConnectJitter', async () => {
    const observer = await rawClient(broker.url)
    await observer.subscribeAsync(TOPICS.heyThere)
    try {
      // 1. One join in detail: subscriptions first, then the jittered hey_there.
      const clock = createManualClock()
      const { plaza } = track(
        makePlaza('alice', broker.url, { clock, random: scriptedRandom([0.999]) }),
      )
      const order: string[] = []
      plaza.on('connected', () => order.push('connected'))
      plaza.on('subscribed', (s) => order.push(`subscribed:${s.topics.length}`))
      plaza.on('hey-there-scheduled', () => order.push('scheduled'))
      plaza.on('hey-there-sent', () => order.push('sent'))
      const delayMs = await startAndJoin(plaza)
      expect(order).toEqual(['connected', 'subscribed:12', 'scheduled'])
      expect(delayMs).toBe(4995) // floor(0.999 * 5000): the jitter is < 5 s
      expect(clock.pending().map((t) => t.delayMs)).toEqual([4995])
      clock.advance(delayMs - 1)
      expect(plaza.counters().published[TOPICS.heyThere]).toBeUndefined()
      const seen = nextMessage(observer, TOPICS.heyThere)
      clock.advance(1)
      const payload = await seen
      expect(order).toEqual(['connected', 'subscribed:12', 'scheduled', 'sent'])
      expect(JSON.parse(payload.toString()).hey_there.From).toBe('alice')
      await plaza.stop()

      // 2. Many joins: with evenly spread random draws the delays cover the 0-5 s window.
      const draws = [0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.9999]
      const delays: number[] = []
      for (const r of draws) {
        const joiner = track(makePlaza('alice', broker.url, { random: scriptedRandom([r]) }))
        delays.push(await startAndJoin(joiner.plaza))
        await joiner.plaza.stop()
      }
      for (const d of delays) {
        expect(d).toBeGreaterThanOrEqual(0)
        expect(d).toBeLessThan(5000)
      }
      expect(delays).toEqual(draws.map((r) => Math.floor(r * 5000)))
      const perSecond = [0, 0, 0, 0, 0]
      for (const d of delays)
        perSecond[Math.floor(d / 1000)] = (perSecond[Math.floor(d / 1000)] ?? 0) + 1
      expect(perSecond.every((n) => n >= 2)).toBe(true)
    } finally {
      await observer.endAsync()
    }
  })

  it('TestMQTT_SignedSyncEvents', async () => {
    const clock = createManualClock()
    const alice = track(makePlaza('alice', broker.url, { clock }))
    const bob = track(makePlaza('bob', broker.url, { clock }))
    await startAndJoin(bob.plaza)
    const aliceDelay = await startAndJoin(alice.plaza)
    const joined = nextEvent(bob.plaza, 'hey_there', (e) => e.sender === 'alice')
    clock.advance(aliceDelay)
    await joined // bob has now pinned alice's key (TOFU, from a verified hey_there)
    expect(bob.plaza.keyring.lookup('alice')).toBe(alice.plaza.identity.publicKeyBase64)

    // A genuine signed SyncEvent flows and is verified.
    const teaseReceived = nextEvent(
      bob.plaza,
      'social',
      (e) => e.message.social.reason === 'random',
    )
    const attacker = await rawClient(broker.url)
    const genuineBytes = nextMessage(attacker, TOPICS.social)
    await attacker.subscribeAsync(TOPICS.social)
    expect(
      await alice.plaza.publishSocial({
        type: 'tease',
        actor: 'alice',
        target: 'bob',
        reason: 'random',
      }),
    ).toBe(true)
    const tease = (await teaseReceived) as PlazaEvent<'social'>
    expect(tease.sender).toBe('alice')
    expect(tease.authenticated).toBe(true)
    expect(tease.eventId).toBe(tease.message.id)
    expect(Object.isFrozen(tease.message.social)).toBe(true)
    const replayBytes = await genuineBytes
    await attacker.unsubscribeAsync(TOPICS.social)

    const aliceKey = signerOf('alice')
    const mallory = signerOf('mallory')
    const now = BigInt(clock.now()) * NS
    const social = (reason: string, tsNs: bigint) => ({
      type: 'tease',
      actor: 'alice',
      target: 'bob',
      reason,
      tsNs,
    })
    const send = (topic: string, ev: unknown) =>
      attacker.publishAsync(topic, encodeSyncEvent(ev as SyncEvent))

    // unsigned: no emitter, no sig
    const unsigned = buildSocial(social('comeback', now), aliceKey)
    await send(TOPICS.social, { ...unsigned, emitter: '', sig: '' })
    await dropsCounted(bob.plaza, 'unsigned')
    // forged: claims alice, signed with mallory's key
    await send(
      TOPICS.social,
      buildSocial(social('nice-number', now), { name: 'alice', seed: mallory.seed }),
    )
    await dropsCounted(bob.plaza, 'bad-signature')
    // re-keyed: a hey_there for alice carrying (and signed with) another key
    const rekeyed = nextEvent(bob.plaza, 'key-conflict')
    await send(
      TOPICS.heyThere,
      buildHeyThere(
        { name: 'alice', publicKey: mallory.publicKey, naraId: 'fake-id', tsNs: now },
        { name: 'alice', seed: mallory.seed },
      ),
    )
    await dropsCounted(bob.plaza, 'key-conflict')
    const conflict = await rekeyed
    expect(conflict).toMatchObject({ kind: 'hey_there', label: 'name', name: 'alice' })
    expect(conflict.pinnedKey).toBe(alice.plaza.identity.publicKeyBase64)
    // replayed: the genuine bytes again
    await attacker.publishAsync(TOPICS.social, replayBytes)
    await dropsCounted(bob.plaza, 'duplicate')
    // stale: validly signed by alice, 11 minutes old (and one 11 minutes in the future)
    await send(TOPICS.social, buildSocial(social('online', now - 660_000n * NS), aliceKey))
    await send(TOPICS.social, buildSocial(social('offline', now + 660_000n * NS), aliceKey))
    await dropsCounted(bob.plaza, 'stale', 2)
    // unknown sender: carol never said hey_there
    await send(
      TOPICS.social,
      buildSocial({ ...social('random', now), actor: 'carol' }, signerOf('carol')),
    )
    await dropsCounted(bob.plaza, 'unknown-sender')
    // a tampered ID (content changed, old id kept)
    await send(TOPICS.social, {
      ...buildSocial(social('trend-abandon', now), aliceKey),
      ts: now + 1n,
    })
    await dropsCounted(bob.plaza, 'bad-id')

    // The pipeline keeps going: the next genuine event still arrives.
    const after = nextEvent(bob.plaza, 'social', (e) => e.message.social.reason === 'high-restarts')
    await alice.plaza.publishSocial({
      type: 'tease',
      actor: 'alice',
      target: 'bob',
      reason: 'high-restarts',
    })
    await after
    const c = bob.plaza.counters()
    expect(c.dropped).toMatchObject({
      unsigned: 1,
      'bad-signature': 1,
      'key-conflict': 1,
      duplicate: 1,
      stale: 2,
      'unknown-sender': 1,
      'bad-id': 1,
    })
    expect(c.accepted.social).toBe(2)
    expect(bob.plaza.keyring.lookup('alice')).toBe(alice.plaza.identity.publicKeyBase64)
    await attacker.endAsync()
  })

  it('TestMQTT_NewspaperSignature', async () => {
    const clock = createManualClock()
    const alice = track(makePlaza('alice', broker.url, { clock }))
    const bob = track(
      makePlaza('bob', broker.url, { clock, options: { heyThereOnConnect: false } }),
    )
    await bob.plaza.start()
    // A newspaper authenticates no name: bob accepts alice's only once her signed hey_there
    // has pinned her key.
    const aliceJoin = await startAndJoin(alice.plaza)
    const alicePinned = nextEvent(bob.plaza, 'hey_there', (e) => e.sender === 'alice')
    clock.advance(aliceJoin)
    await alicePinned
    const attacker = await rawClient(broker.url)
    await attacker.subscribeAsync(newspaperTopic('alice'))
    const captured = nextMessage(attacker, newspaperTopic('alice'))
    const received = nextEvent(bob.plaza, 'newspaper')
    expect(await alice.plaza.publishNewspaper(sampleStatus(55))).toBe(true)
    const ev = (await received) as PlazaEvent<'newspaper'>
    expect(ev.sender).toBe('alice')
    expect(ev.message.name).toBe('alice')
    expect(ev.message.envelope.Status.Buzz).toBe(55)
    const payload = await captured
    await attacker.unsubscribeAsync(newspaperTopic('alice'))
    const text = payload.toString('utf8')
    const statusJson = text.slice(text.indexOf('"Status":') + 9, text.lastIndexOf(',"Signature":'))
    // The signature covers exactly the raw Status bytes that travelled.
    expect(Buffer.from(ev.message.statusBytes).toString('utf8')).toBe(statusJson)
    const signature = JSON.parse(text).Signature as string
    expect(signNewspaperStatus(enc.encode(statusJson), signerOf('alice').seed)).toBe(signature)

    const topic = newspaperTopic('alice')
    // Re-serialized Status (same values, JSON.stringify with sorted keys): rejected.
    const parsed = JSON.parse(statusJson) as Record<string, unknown>
    const resorted = JSON.stringify(
      Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => (a < b ? -1 : 1))),
    )
    expect(resorted).not.toBe(statusJson)
    await attacker.publishAsync(
      topic,
      Buffer.from(encodeNewspaperBytes('alice', enc.encode(resorted), signature)),
    )
    await dropsCounted(bob.plaza, 'bad-signature', 1)
    // One byte altered (Buzz 55 -> 56): rejected.
    const altered = statusJson.replace('"Buzz":55', '"Buzz":56')
    expect(altered.length).toBe(statusJson.length)
    await attacker.publishAsync(
      topic,
      Buffer.from(encodeNewspaperBytes('alice', enc.encode(altered), signature)),
    )
    await dropsCounted(bob.plaza, 'bad-signature', 2)
    // Unsigned: rejected.
    await attacker.publishAsync(
      topic,
      Buffer.from(encodeNewspaperBytes('alice', enc.encode(statusJson), '')),
    )
    await dropsCounted(bob.plaza, 'unsigned', 1)
    // The envelope's From must equal the topic name (Go ignores it; WIRE §6.4, STRICTER_THAN_GO).
    await attacker.publishAsync(
      topic,
      Buffer.from(encodeNewspaperBytes('mallory', enc.encode(statusJson), signature)),
    )
    await dropsCounted(bob.plaza, 'sender-mismatch', 1)
    // The genuine bytes again: a replay.
    await attacker.publishAsync(topic, payload)
    await dropsCounted(bob.plaza, 'duplicate', 1)
    // Alice's signed status on mallory's topic: alice's key already speaks for alice (one key,
    // one name), so it is a key conflict while mallory is unknown (no topic-only pin either)...
    await attacker.publishAsync(
      newspaperTopic('mallory'),
      Buffer.from(encodeNewspaperBytes('mallory', enc.encode(statusJson), signature)),
    )
    await dropsCounted(bob.plaza, 'key-conflict', 1)
    expect(bob.plaza.keyring.lookup('mallory')).toBeUndefined()
    expect(bob.plaza.keyring.weakByName('mallory')).toBeUndefined()
    // ...and still one once mallory's own hey_there pinned her key.
    const mallory = track(makePlaza('mallory', broker.url, { clock }))
    const malloryJoin = await startAndJoin(mallory.plaza)
    const malloryPinned = nextEvent(bob.plaza, 'hey_there', (e) => e.sender === 'mallory')
    clock.advance(malloryJoin)
    await malloryPinned
    await attacker.publishAsync(
      newspaperTopic('mallory'),
      Buffer.from(encodeNewspaperBytes('mallory', enc.encode(statusJson), signature)),
    )
    await dropsCounted(bob.plaza, 'key-conflict', 2)
    expect(bob.plaza.counters().accepted.newspaper).toBe(1)
    await attacker.endAsync()
  })

  it('TestMQTT_ReconnectLoop', async () => {
    const clock = createManualClock()
    const random = scriptedRandom([0.5]) // first join jitter
    const minMs = 5000
    const maxMs = 35_000
    const alice = track(
      makePlaza('alice', broker.url, {
        clock,
        random,
        options: { reconnectMinMs: minMs, reconnectMaxMs: maxMs },
      }),
    )
    const firstJitter = await startAndJoin(alice.plaza)
    clock.advance(firstJitter)
    expect(alice.plaza.counters().connects).toBe(1)

    // Kill the broker for real. The plaza notices and schedules ONE wait within bounds.
    random.push(0.25, 0, 0.999)
    const disconnected = nextEvent(alice.plaza, 'disconnected')
    const firstWait = nextEvent(alice.plaza, 'reconnect-scheduled')
    await broker.stop()
    await disconnected
    const waits = [await firstWait]
    expect(waits[0]).toEqual({ delayMs: minMs + Math.floor(0.25 * (maxMs - minMs)), attempt: 1 })
    expect(clock.pending().map((t) => t.delayMs)).toEqual([waits[0]?.delayMs])

    // While the broker is down every attempt fails fast and exactly one next wait is scheduled.
    for (const r of [0, 0.999]) {
      const failed = nextEvent(alice.plaza, 'error')
      const next = nextEvent(alice.plaza, 'reconnect-scheduled')
      clock.runNext()
      const error = await failed
      expect(error.name).toBe('BrokerUnreachableError')
      expect(error.message).toContain(broker.url)
      const wait = await next
      waits.push(wait)
      expect(wait.delayMs).toBe(minMs + Math.floor(r * (maxMs - minMs)))
      expect(clock.pending()).toHaveLength(1)
    }
    for (const w of waits) {
      expect(w.delayMs).toBeGreaterThanOrEqual(minMs)
      expect(w.delayMs).toBeLessThan(maxMs)
    }
    expect(waits.map((w) => w.attempt)).toEqual([1, 2, 3])
    expect(alice.plaza.counters().connectFailures).toBe(2)

    // Broker back on the same port: the next attempt reconnects, re-subscribes, and sends a
    // new jittered hey_there.
    await broker.restart()
    const observer = await rawClient(broker.url)
    await observer.subscribeAsync(TOPICS.heyThere)
    random.push(0.2) // rejoin jitter
    const reconnected = nextEvent(alice.plaza, 'connected')
    const resubscribed = nextEvent(alice.plaza, 'subscribed')
    const rejoin = nextEvent(alice.plaza, 'hey-there-scheduled')
    clock.runNext()
    expect((await reconnected).reconnect).toBe(true)
    expect((await resubscribed).topics).toHaveLength(12)
    const { delayMs } = await rejoin
    expect(delayMs).toBe(1000)
    expect(clock.pending().map((t) => t.delayMs)).toEqual([1000]) // the loop is over
    const heyThere = nextMessage(observer, TOPICS.heyThere)
    clock.advance(delayMs)
    expect(JSON.parse((await heyThere).toString()).hey_there.From).toBe('alice')

    // Messages flow again: bob joins and alice hears him.
    const bob = track(makePlaza('bob', broker.url, { clock, random: scriptedRandom([0.1]) }))
    const heard = nextEvent(alice.plaza, 'hey_there', (e) => e.sender === 'bob')
    clock.advance(await startAndJoin(bob.plaza))
    expect((await heard).sender).toBe('bob')
    const c = alice.plaza.counters()
    expect(c.reconnects).toBe(1)
    expect(c.connects).toBe(2)
    expect(c.disconnects).toBe(1)
    await observer.endAsync()

    // stop() cancels a pending reconnect wait at once.
    random.push(0.5)
    const lost = nextEvent(alice.plaza, 'reconnect-scheduled')
    await broker.stop()
    await lost
    expect(clock.pending().length).toBeGreaterThanOrEqual(1)
    await alice.plaza.stop()
    await bob.plaza.stop()
    expect(clock.pending()).toHaveLength(0)
    await broker.restart()
    void brokerName
  })
})
