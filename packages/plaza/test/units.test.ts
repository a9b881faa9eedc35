import { describe, expect, it } from 'vitest'
import { parseBrokerUrl } from '../src/broker-url.js'
import { makeClientId } from '../src/client-id.js'
import { claimedSender } from '../src/inbound/claimed-sender.js'
import { createKeyring, createPlaza } from '../src/index.js'
import { createJoinJitter } from '../src/join-jitter.js'
import { LruSet } from '../src/lru.js'
import { createReconnectLoop } from '../src/reconnect-loop.js'
import { createManualClock } from '../src/testing.js'
import { KeyedRateLimiter } from '../src/token-bucket.js'
import { SOULS, scriptedRandom } from './helpers.js'

describe('parseBrokerUrl', () => {
  it.each([
    ['mqtt://h:1', 'mqtt://h:1'],
    ['tcp://h:1', 'mqtt://h:1'],
    ['h:1884', 'mqtt://h:1884'],
    ['h', 'mqtt://h:1883'],
    ['mqtts://h', 'mqtts://h:8883'],
    ['ssl://h:8883', 'mqtts://h:8883'],
    ['tls://mqtt.nara.network:8883', 'mqtts://mqtt.nara.network:8883'],
    ['ws://h:9001', 'ws://h:9001/mqtt'],
    ['wss://h/ws', 'wss://h:443/ws'],
    ['mqtt://[::1]:1883', 'mqtt://[::1]:1883'],
  ])('%s -> %s', (input, url) => {
    expect(parseBrokerUrl(input).url).toBe(url)
  })

  it('splits credentials off and never repeats them in errors', () => {
    const a = parseBrokerUrl('mqtt://user:p%40ss@h:1')
    expect(a).toMatchObject({ url: 'mqtt://h:1', username: 'user', password: 'p@ss' })
    for (const bad of ['', 'gopher://h', 'mqtt://user:topsecret@h:99999']) {
      const err = (() => {
        try {
          parseBrokerUrl(bad)
        } catch (e) {
          return e as Error
        }
      })()
      expect(err?.name).toBe('InvalidBrokerUrlError')
      expect(err?.message).not.toContain('topsecret')
    }
  })
})

describe('client ID', () => {
  it('is unique, short and never a nara name', () => {
    const ids = new Set(Array.from({ length: 100 }, () => makeClientId()))
    expect(ids.size).toBe(100)
    for (const id of ids) {
      expect(id.length).toBeLessThanOrEqual(23)
      expect(id.startsWith('nara-ts-')).toBe(true)
    }
  })
})

describe('join jitter', () => {
  it('is uniform in [0, 5000) and cancellable', () => {
    const clock = createManualClock()
    const jitter = createJoinJitter({ clock, random: scriptedRandom([0.999]) })
    let fired = 0
    expect(jitter.schedule(() => fired++)).toBe(4995)
    jitter.cancel()
    clock.advance(10_000)
    expect(fired).toBe(0)
    let state = 42
    const lcg = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31
      return state / 2 ** 31
    }
    const spread = createJoinJitter({ clock, random: lcg })
    const buckets = new Array(10).fill(0)
    for (let i = 0; i < 1000; i++) {
      const d = spread.schedule(() => {})
      expect(d).toBeGreaterThanOrEqual(0)
      expect(d).toBeLessThan(5000)
      buckets[Math.floor(d / 500)]++
    }
    for (const b of buckets) expect(b).toBeGreaterThan(50)
  })
})

describe('reconnect loop', () => {
  it('runs one loop, waits min + r*(max-min), stops at once', async () => {
    const clock = createManualClock()
    const delays: number[] = []
    let attempts = 0
    let succeed = false
    const loop = createReconnectLoop({
      clock,
      random: scriptedRandom([0, 0.5, 0.999]),
      attempt: async () => {
        attempts++
        return succeed
      },
      onScheduled: (d) => delays.push(d),
    })
    expect(loop.start()).toBe(true)
    expect(loop.start()).toBe(false) // no overlapping loops
    expect(clock.pending()).toHaveLength(1)
    clock.runNext()
    await Promise.resolve()
    await Promise.resolve()
    clock.runNext()
    await Promise.resolve()
    await Promise.resolve()
    expect(delays).toEqual([5000, 20_000, 34_970])
    expect(clock.pending()).toHaveLength(1)
    loop.stop()
    expect(clock.pending()).toHaveLength(0)
    expect(loop.running).toBe(false)
    succeed = true
    loop.start()
    clock.runNext()
    await Promise.resolve()
    await Promise.resolve()
    expect(loop.running).toBe(false)
    expect(attempts).toBe(3)
  })
})

describe('createPlaza options', () => {
  const base = {
    brokerUrl: 'mqtt://127.0.0.1:1',
    identity: { name: 'alice', soul: SOULS.alice },
  }
  it('passes maxPins/promoteAfterMs to the keyring it creates, refuses them next to an injected one', () => {
    const plaza = createPlaza({ ...base, maxPins: 2 })
    // Our own name and NaraID take both labels: a durable keyring at its bound.
    expect(plaza.keyring.pin({ name: 'bob', publicKey: Buffer.alloc(32, 1) }).status).toBe('full')
    expect(() => createPlaza({ ...base, keyring: createKeyring(), maxPins: 5 })).toThrow(
      expect.objectContaining({ name: 'InvalidOptionsError' }),
    )
    for (const bad of [
      { howdyWindowMs: -1 },
      { newspaperWindowMs: Number.NaN },
      { promoteAfterMs: -5 },
      { preVerifyPools: { unknown: { capacity: -1 } } },
      { claimedRateLimit: { maxBuckets: 0 } },
      { dedupeSizePerSender: 0.5 },
    ]) {
      expect(() => createPlaza({ ...base, ...bad })).toThrow(
        expect.objectContaining({ name: 'InvalidOptionsError' }),
      )
    }
  })
})

describe('rate limiter and LRU', () => {
  it('bounds buckets without letting fresh names reset a flooder', () => {
    const rl = new KeyedRateLimiter({ capacity: 2, refillPerSecond: 0, maxBuckets: 2 })
    expect([rl.take('a', 0), rl.take('a', 0), rl.take('a', 0)]).toEqual([true, true, false])
    rl.take('b', 0)
    rl.take('c', 0) // table full of non-full buckets: c shares the overflow bucket
    expect(rl.size).toBe(2)
    expect(rl.take('a', 0)).toBe(false)
  })
  it('LruSet evicts the least recently used', () => {
    const s = new LruSet<string>(2)
    expect(s.add('a')).toBe(true)
    s.add('b')
    expect(s.add('a')).toBe(false)
    s.add('c')
    expect(s.has('b')).toBe(false)
    expect(s.has('a')).toBe(true)
  })
})

describe('claimed sender scan', () => {
  it('reads the sender field from raw bytes, or the topic for newspapers', () => {
    expect(
      claimedSender(
        'social',
        'nara/plaza/social',
        Buffer.from('{"id":"x","emitter":"alice","sig":""}'),
      ),
    ).toBe('alice')
    expect(claimedSender('howdy', 'nara/plaza/howdy', Buffer.from('{"From":"bob"}'))).toBe('bob')
    expect(claimedSender('newspaper', 'nara/newspaper/carol', Buffer.from('{}'))).toBe('carol')
    expect(
      claimedSender('social', 'nara/plaza/social', Buffer.from('{"emitter":"unterminated')),
    ).toBe('')
  })
})
