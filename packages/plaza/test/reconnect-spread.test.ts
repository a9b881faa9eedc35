/**
 * A broker dies under many naras: their reconnects must spread over the 5-35 s window (Go's
 * uniform wait, WIRE.md §1.4), not land in one second, so the surviving brokers of a cluster are
 * not hit by a storm. Each nara is its own process, so each has its own random source: here a
 * seeded one per loop; time is one manual clock.
 */
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { seededRandom } from '@nara/vitest-config/random'
import { afterEach, describe, expect, it } from 'vitest'
import { createReceiver, type Receiver } from '../src/index.js'
import { createReconnectLoop } from '../src/reconnect-loop.js'
import { createManualClock } from '../src/testing.js'

const WINDOW_MIN_MS = 5000
const WINDOW_MAX_MS = 35_000

/**
 * One independent random source per process, as each nara's own `Math.random`: seeds drawn from
 * one master sequence (xorshift's first values for neighbouring seeds would be correlated).
 */
function processRandoms(count: number, masterSeed: number): Array<() => number> {
  const master = seededRandom(masterSeed)
  return Array.from({ length: count }, () => seededRandom(Math.floor(master() * 2 ** 32)))
}

/** How many of `timesMs` fall in each whole second of the window. */
function perSecond(timesMs: readonly number[]): number[] {
  const buckets = new Array<number>((WINDOW_MAX_MS - WINDOW_MIN_MS) / 1000).fill(0)
  for (const t of timesMs) buckets[Math.floor((t - WINDOW_MIN_MS) / 1000)]! += 1
  return buckets
}

describe('reconnects spread over the window', () => {
  it('1,000 loops started in the same millisecond make their first attempts across 5-35 s', async () => {
    const clock = createManualClock()
    const diedAtMs = clock.now()
    const firstAttemptAtMs: number[] = []
    for (const random of processRandoms(1000, 0x9e3779b9)) {
      const loop = createReconnectLoop({
        clock,
        random,
        attempt: async () => {
          firstAttemptAtMs.push(clock.now() - diedAtMs)
          return true
        },
      })
      loop.start()
    }
    expect(firstAttemptAtMs).toEqual([])
    clock.advance(WINDOW_MAX_MS)
    await expect.poll(() => firstAttemptAtMs.length).toBe(1000)
    expect(Math.min(...firstAttemptAtMs)).toBeGreaterThanOrEqual(WINDOW_MIN_MS)
    expect(Math.max(...firstAttemptAtMs)).toBeLessThan(WINDOW_MAX_MS)
    const buckets = perSecond(firstAttemptAtMs)
    // Uniform: ~33 per second. Every second of the window gets some, none gets a storm.
    expect(Math.min(...buckets)).toBeGreaterThan(10)
    expect(Math.max(...buckets)).toBeLessThan(70)
    // The early and the late half each take roughly half.
    const early = firstAttemptAtMs.filter((t) => t < 20_000).length
    expect(early).toBeGreaterThan(400)
    expect(early).toBeLessThan(600)
  })

  it('one shared random sequence would be a storm: the test above would catch it', async () => {
    // The same seed in every loop (e.g. a fleet that seeded its random from a fixed value).
    const clock = createManualClock()
    const firstAttemptAtMs: number[] = []
    for (let i = 0; i < 100; i++) {
      createReconnectLoop({
        clock,
        random: seededRandom(42),
        attempt: async () => {
          firstAttemptAtMs.push(clock.now())
          return true
        },
      }).start()
    }
    clock.advance(WINDOW_MAX_MS)
    await expect.poll(() => firstAttemptAtMs.length).toBe(100)
    expect(
      Math.max(...perSecond(firstAttemptAtMs.map((t) => t - firstAttemptAtMs[0]! + 5000))),
    ).toBe(100)
  })
})

describe('receivers whose broker dies (aedes)', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const done of cleanup.splice(0).reverse()) await done()
  })

  it('schedule their first reconnect across the window, each with its own random source', async () => {
    const broker: TestBroker = await startAedes()
    cleanup.push(() => broker.close())
    const clock = createManualClock()
    const receivers: Receiver[] = []
    for (const random of processRandoms(24, 0x51ed)) {
      const receiver = createReceiver({ brokerUrl: broker.url }, { clock, random })
      cleanup.push(() => receiver.stop())
      receivers.push(receiver)
    }
    await Promise.all(receivers.map((r) => r.start()))
    // Real sockets: bounded like the other broker waits (expect.poll's default is 1 s).
    await expect.poll(() => receivers.every((r) => r.subscribed), { timeout: 10_000 }).toBe(true)
    const delaysMs: number[] = []
    for (const r of receivers) {
      r.on('reconnect-scheduled', ({ delayMs, attempt }) => {
        if (attempt === 1) delaysMs.push(delayMs)
      })
    }
    await broker.close()
    await expect.poll(() => delaysMs.length, { timeout: 10_000 }).toBe(24)
    expect(Math.min(...delaysMs)).toBeGreaterThanOrEqual(WINDOW_MIN_MS)
    expect(Math.max(...delaysMs)).toBeLessThan(WINDOW_MAX_MS)
    const buckets = perSecond(delaysMs)
    // 24 over 30 seconds: no second holds more than 3, and they cover most of the window.
    expect(Math.max(...buckets)).toBeLessThanOrEqual(3)
    expect(buckets.filter((n) => n > 0).length).toBeGreaterThanOrEqual(14)
    expect(Math.max(...delaysMs) - Math.min(...delaysMs)).toBeGreaterThan(20_000)
  })
})
