/**
 * Oracle checks of joining and reconnecting (WIRE.md §11: TestMQTT_ConnectJitter,
 * TestMQTT_ReconnectLoop). Time is a manual clock and chance a scripted random source: nothing
 * sleeps to wait out jitter or backoff, and nothing asserts a duration.
 */
import { TOPICS } from '@nara/protocol'
import { expect } from 'vitest'
import { createManualClock, scriptedRandom } from '../../src/testing.js'
import { nextEvent, startAndJoin } from '../helpers.js'
import { nextMessage } from '../raw-client.js'
import type { Check, Session } from './matrix.js'

/** One join in detail: subscriptions first, then the jittered hey_there. */
async function oneJoinInDetail(s: Session): Promise<void> {
  const observer = await s.rawClient()
  await observer.subscribeAsync(TOPICS.heyThere)
  const clock = createManualClock()
  const alice = s.open('alice', { clock, random: scriptedRandom([0.999]) })
  const order: string[] = []
  const subscribedTo: Array<readonly string[]> = []
  alice.on('connected', () => order.push('connected'))
  alice.on('subscribed', (sub) => {
    order.push(`subscribed:${sub.topics.length}`)
    subscribedTo.push(sub.topics)
  })
  alice.on('hey-there-scheduled', () => order.push('scheduled'))
  alice.on('hey-there-sent', () => order.push('sent'))
  const delayMs = await startAndJoin(alice)
  const subscribed = `subscribed:${alice.topics.length}`
  expect(order).toEqual(['connected', subscribed, 'scheduled'])
  // Every plaza topic, in WIRE.md §1.3 order (one nara: 12 topics; a town: each nara's ledger).
  expect(subscribedTo).toEqual([alice.topics])
  expect(delayMs).toBe(4995) // floor(0.999 * 5000): the jitter is < 5 s
  expect(clock.pending().map((t) => t.delayMs)).toEqual([4995])
  clock.advance(delayMs - 1)
  expect(alice.counters().published[TOPICS.heyThere]).toBeUndefined()
  const seen = nextMessage(observer, TOPICS.heyThere)
  clock.advance(1)
  const payload = await seen
  expect(order).toEqual(['connected', subscribed, 'scheduled', 'sent'])
  expect(JSON.parse(payload.toString()).hey_there.From).toBe('alice')
  await alice.stop()
}

/** Many joins: with evenly spread random draws the delays cover the 0-5 s window. */
async function manyJoins(s: Session): Promise<void> {
  const draws = [0, 0.05, 0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95, 0.9999]
  const delays: number[] = []
  for (const r of draws) {
    const joiner = s.open('alice', { random: scriptedRandom([r]) })
    delays.push(await startAndJoin(joiner))
    await joiner.stop()
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
}

/** TestMQTT_ConnectJitter. */
export const connectJitter: Check = async (s) => {
  await oneJoinInDetail(s)
  await manyJoins(s)
}

/** TestMQTT_ReconnectLoop (stops and restarts the session's broker). */
export const reconnectLoop: Check = async (s) => {
  const { broker } = s
  const clock = createManualClock()
  const random = scriptedRandom([0.5]) // first join jitter
  const minMs = 5000
  const maxMs = 35_000
  const alice = s.open('alice', {
    clock,
    random,
    options: { reconnectMinMs: minMs, reconnectMaxMs: maxMs },
  })
  const firstJitter = await startAndJoin(alice)
  clock.advance(firstJitter)
  expect(alice.counters().connects).toBe(1)

  // Kill the broker for real. The nara notices and schedules ONE wait within bounds.
  random.push(0.25, 0, 0.999)
  const disconnected = nextEvent(alice, 'disconnected')
  const firstWait = nextEvent(alice, 'reconnect-scheduled')
  await broker.stop()
  await disconnected
  const waits = [await firstWait]
  expect(waits[0]).toEqual({ delayMs: minMs + Math.floor(0.25 * (maxMs - minMs)), attempt: 1 })
  expect(clock.pending().map((t) => t.delayMs)).toEqual([waits[0]?.delayMs])

  // While the broker is down every attempt fails fast and exactly one next wait is scheduled.
  for (const r of [0, 0.999]) {
    const failed = nextEvent(alice, 'error')
    const next = nextEvent(alice, 'reconnect-scheduled')
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
  expect(alice.counters().connectFailures).toBe(2)

  // Broker back on the same port: the next attempt reconnects, re-subscribes, and sends a
  // new jittered hey_there.
  await broker.restart()
  const observer = await s.rawClient()
  await observer.subscribeAsync(TOPICS.heyThere)
  random.push(0.2) // rejoin jitter
  const reconnected = nextEvent(alice, 'connected')
  const resubscribed = nextEvent(alice, 'subscribed')
  const rejoin = nextEvent(alice, 'hey-there-scheduled')
  clock.runNext()
  expect((await reconnected).reconnect).toBe(true)
  expect((await resubscribed).topics).toEqual(alice.topics)
  const { delayMs } = await rejoin
  expect(delayMs).toBe(1000)
  expect(clock.pending().map((t) => t.delayMs)).toEqual([1000]) // the loop is over
  const heyThere = nextMessage(observer, TOPICS.heyThere)
  clock.advance(delayMs)
  expect(JSON.parse((await heyThere).toString()).hey_there.From).toBe('alice')

  // Messages flow again: bob joins and alice hears him.
  const bob = s.open('bob', { clock, random: scriptedRandom([0.1]) })
  const heard = nextEvent(alice, 'hey_there', (e) => e.sender === 'bob')
  clock.advance(await startAndJoin(bob))
  expect((await heard).sender).toBe('bob')
  const c = alice.counters()
  expect(c.reconnects).toBe(1)
  expect(c.connects).toBe(2)
  expect(c.disconnects).toBe(1)
  await observer.endAsync()

  // stop() cancels a pending reconnect wait at once.
  random.push(0.5)
  const lost = nextEvent(alice, 'reconnect-scheduled')
  await broker.stop()
  await lost
  expect(clock.pending().length).toBeGreaterThanOrEqual(1)
  await alice.stop()
  await bob.stop()
  expect(clock.pending()).toHaveLength(0)
  await broker.restart()
}
