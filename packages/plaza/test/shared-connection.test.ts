import { TOPICS } from '@nara/protocol'
import { BROKERS, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  createDecodeCache,
  createManualClock,
  createSharedConnection,
  type ManualClock,
  type Plaza,
  type SharedConnection,
  topicMatches,
} from '../src/index.js'
import { makePlaza, nextEvent, type SOULS, scriptedRandom, startAndJoin } from './helpers.js'
import { nextMessage, rawClient } from './raw-client.js'

describe('topicMatches', () => {
  it.each([
    ['nara/plaza/hey_there', 'nara/plaza/hey_there', true],
    ['nara/newspaper/+', 'nara/newspaper/alice', true],
    ['nara/newspaper/+', 'nara/newspaper/alice/x', false],
    ['nara/newspaper/+', 'nara/newspaper', false],
    ['nara/#', 'nara/newspaper/alice', true],
    ['nara/#', 'nara', true],
    ['#', '$SYS/broker/uptime', false],
    ['+/broker/uptime', '$SYS/broker/uptime', false],
    ['nara/ledger/+/response', 'nara/ledger/bob/response', true],
    ['nara/ledger/alice/response', 'nara/ledger/bob/response', false],
  ])('%s matches %s: %s', (filter, topic, expected) => {
    expect(topicMatches(filter, topic)).toBe(expected)
  })
})

describe.each(BROKERS)('shared connection on $name', ({ start }) => {
  let broker: TestBroker
  const plazas: Plaza[] = []
  const shared: SharedConnection[] = []
  beforeAll(async () => {
    broker = await start()
  })
  afterEach(async () => {
    await Promise.all(plazas.splice(0).map((p) => p.stop()))
    await Promise.all(shared.splice(0).map((s) => s.close()))
  })
  afterAll(() => broker.close())

  const member = (
    name: keyof typeof SOULS,
    sharedConnection: SharedConnection,
    clock: ManualClock,
    random = scriptedRandom([0.5]),
    extra = {},
  ) => {
    const { plaza } = makePlaza(name, broker.url, {
      clock,
      random,
      options: { sharedConnection, reconnectMinMs: 5000, reconnectMaxMs: 35_000, ...extra },
    })
    plazas.push(plaza)
    return plaza
  }

  /** alice and bob on one shared connection, both joined. */
  const aliceAndBob = async () => {
    const clock = createManualClock()
    const conn = createSharedConnection({ brokerUrl: broker.url, now: () => clock.now() })
    shared.push(conn)
    const alice = member('alice', conn, clock)
    const bob = member('bob', conn, clock)
    await Promise.all([startAndJoin(alice), startAndJoin(bob)])
    return { conn, alice, bob }
  }

  it('three plazas on one socket hear each other, verified, and a plaza with its own socket hears them', async () => {
    const clock = createManualClock()
    const conn = createSharedConnection({ brokerUrl: broker.url, now: () => clock.now() })
    shared.push(conn)
    const decodeCache = createDecodeCache()
    const [alice, bob, carol] = (['alice', 'bob', 'carol'] as const).map((n) =>
      member(n, conn, clock, scriptedRandom([0.5]), { decodeCache }),
    ) as [Plaza, Plaza, Plaza]
    const outside = makePlaza('mallory', broker.url, { clock }).plaza
    plazas.push(outside)
    await startAndJoin(outside)
    const delays = await Promise.all([alice, bob, carol].map((p) => startAndJoin(p)))
    expect(conn.stats()).toMatchObject({ connected: true, members: 3, attempts: 1, connects: 1 })
    expect(new Set([alice.clientId, bob.clientId, carol.clientId])).toEqual(
      new Set([conn.clientId]),
    )

    const heard = (p: Plaza, sender: string) =>
      nextEvent(p, 'hey_there', (e) => e.sender === sender)
    const got = [
      heard(bob, 'alice'),
      heard(carol, 'alice'),
      heard(outside, 'alice'),
      heard(alice, 'bob'),
      heard(outside, 'carol'),
    ]
    clock.advance(Math.max(...delays))
    for (const ev of await Promise.all(got)) {
      expect(ev.authenticated).toBe(true)
      expect(ev.nameProof).toBe('signature')
    }
    expect(bob.keyring.lookup('alice')).toBe(alice.identity.publicKeyBase64)
    // Each plaza sees its own hey_there once, counted as own, never delivered.
    for (const p of [alice, bob, carol]) expect(p.counters().own).toBeGreaterThanOrEqual(1)

    // A message from outside reaches every member once, decoded once for all of them.
    const social = [alice, bob, carol].map((p) =>
      nextEvent(p, 'social', (e) => e.message.social.reason === 'shared-socket'),
    )
    const before = decodeCache.stats()
    await outside.publishSocial({ type: 'tease', target: 'alice', reason: 'shared-socket' })
    for (const ev of await Promise.all(social)) expect(ev.sender).toBe('mallory')
    const after = decodeCache.stats()
    expect(after.misses - before.misses).toBe(1)
    expect(after.hits - before.hits).toBe(2)
  })

  it('a member receives only the topics its plaza subscribed to (ledger topics carry the name)', async () => {
    const { alice, bob } = await aliceAndBob()
    const pub = await rawClient(broker.url)
    try {
      const forBob = nextEvent(bob, 'ledger_request')
      const aliceLedger = alice.counters().received.ledger_request ?? 0
      await pub.publishAsync(
        'nara/ledger/bob/request',
        JSON.stringify({ From: 'carol', Subjects: null }),
      )
      expect((await forBob).sender).toBe('carol')
      expect(alice.counters().received.ledger_request ?? 0).toBe(aliceLedger)
    } finally {
      await pub.endAsync()
    }
  })

  it('plazas publish through the shared socket; the last one to stop closes it', async () => {
    const { conn, alice, bob } = await aliceAndBob()
    const observer = await rawClient(broker.url)
    try {
      await observer.subscribeAsync(TOPICS.chau)
      const chau = nextMessage(observer, TOPICS.chau)
      await alice.stop({ chau: true })
      expect(JSON.parse((await chau).toString()).chau.From).toBe('alice')
      expect(conn.stats()).toMatchObject({ connected: true, members: 1 })
      expect(bob.connected).toBe(true)
      await bob.stop()
      expect(conn.stats()).toMatchObject({ connected: false, members: 0 })
    } finally {
      await observer.endAsync()
    }
  })

  it('rejects a brokerUrl other than the shared one, and a clientId of its own', () => {
    const conn = createSharedConnection({ brokerUrl: broker.url })
    expect(() =>
      makePlaza('alice', 'mqtt://127.0.0.1:1', { options: { sharedConnection: conn } }),
    ).toThrow(/sharedConnection is connected to/)
    expect(() =>
      makePlaza('alice', broker.url, {
        options: { sharedConnection: conn, clientId: 'nara-ts-x' },
      }),
    ).toThrow(/clientId belongs to the sharedConnection/)
  })

  it('broker down: one real attempt per gap for the whole town; after a restart every plaza rejoins through its own loop', async () => {
    const clock = createManualClock()
    const conn = createSharedConnection({
      brokerUrl: broker.url,
      now: () => clock.now(),
      minAttemptGapMs: 5000,
    })
    shared.push(conn)
    const random = scriptedRandom([0.5])
    const town = (['alice', 'bob', 'carol'] as const).map((n) => member(n, conn, clock, random))
    const joins = await Promise.all(town.map((p) => startAndJoin(p)))
    clock.advance(Math.max(...joins))

    const lost = town.map((p) => nextEvent(p, 'reconnect-scheduled'))
    await broker.stop()
    const waits = await Promise.all(lost)
    for (const w of waits) {
      expect(w.delayMs).toBeGreaterThanOrEqual(5000)
      expect(w.delayMs).toBeLessThan(35_000)
    }
    expect(conn.stats()).toMatchObject({ connected: false, members: 0 })

    // All three loops fire while the broker is down: ONE real attempt, three failures.
    const attemptsBefore = conn.stats().attempts
    const failures = town.map((p) => nextEvent(p, 'error'))
    const again = town.map((p) => nextEvent(p, 'reconnect-scheduled'))
    random.push(0.1, 0.2, 0.3)
    for (let i = 0; i < 3; i++) clock.runNext()
    for (const e of await Promise.all(failures)) expect(e.name).toBe('BrokerUnreachableError')
    await Promise.all(again)
    expect(conn.stats().attempts - attemptsBefore).toBe(1)

    // Back on the same port: each loop reconnects (one socket), re-subscribes and says a new
    // jittered hey_there.
    await broker.restart()
    const observer = await rawClient(broker.url)
    try {
      await observer.subscribeAsync(TOPICS.heyThere)
      const senders = new Set<string>()
      const all = new Promise<void>((resolve) => {
        observer.on('message', (_t, p) => {
          senders.add(JSON.parse(p.toString()).hey_there.From)
          if (senders.size === 3) resolve()
        })
      })
      const rejoined = town.map((p) => nextEvent(p, 'hey-there-scheduled'))
      // Fire the three pending reconnect waits (each >= 5 s, so past the attempt gap); real I/O
      // completes between them.
      for (let i = 0; i < 200 && conn.stats().members < 3; i++) {
        clock.runNext()
        await new Promise((r) => setTimeout(r, 20))
      }
      const delays = await Promise.all(rejoined)
      for (const d of delays) expect(d.delayMs).toBeLessThanOrEqual(5000)
      clock.advance(5000)
      await all
      expect([...senders].sort()).toEqual(['alice', 'bob', 'carol'])
      expect(conn.stats()).toMatchObject({ connected: true, members: 3 })
      expect(conn.stats().connects).toBe(2)
      for (const p of town) expect(p.counters().reconnects).toBe(1)
    } finally {
      await observer.endAsync()
    }
  })
})
