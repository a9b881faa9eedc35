/**
 * Broker lists: the receiver's `brokerUrl` takes several URLs, shuffled once per process with
 * the injected random source; each failed attempt or lost connection moves the randomized
 * reconnect loop to the next broker. Unit tests with a scripted random source and a manual
 * clock; integration tests with two real brokers.
 */
import { freePort, startAedes, startMosquitto, type TestBroker } from '@nara/vitest-config/brokers'
import { afterEach, describe, expect, it } from 'vitest'
import { createBrokerList } from '../src/broker-list.js'
import { createReceiver, type Receiver, type ReceiverEventMap } from '../src/index.js'
import { createManualClock, type ManualClock } from '../src/testing.js'
import { scriptedRandom } from './helpers.js'

describe('createBrokerList', () => {
  const urls = ['mqtt://a:1883', 'mqtt://b:1883', 'mqtt://c:1883']

  it('shuffles once with the injected random source (Fisher-Yates), then walks round and round', () => {
    // i=2: j=floor(0.1*3)=0 -> [c,b,a]; i=1: j=floor(0.9*2)=1 -> unchanged.
    const list = createBrokerList(urls, scriptedRandom([0.1, 0.9]))
    expect(list.addresses.map((a) => a.host)).toEqual(['c', 'b', 'a'])
    expect(list.current().host).toBe('c')
    expect([list.advance(), list.advance(), list.advance()].map((a) => a.host)).toEqual([
      'b',
      'a',
      'c',
    ])
    // Another process, another draw: another order (a fleet spreads over the cluster).
    const other = createBrokerList(urls, scriptedRandom([0.9, 0.1]))
    expect(other.addresses.map((a) => a.host)).toEqual(['b', 'a', 'c'])
  })

  it('takes one URL as a list of one and draws nothing for it', () => {
    const random = scriptedRandom([2]) // out of range: would throw if drawn
    expect(createBrokerList('mqtt://solo', random).current().url).toBe('mqtt://solo:1883')
  })

  it('refuses an empty list and names a bad entry without its credentials', () => {
    expect(() => createBrokerList([], Math.random)).toThrow(
      expect.objectContaining({ name: 'InvalidOptionsError' }),
    )
    let error: unknown
    try {
      createBrokerList(['mqtt://ok', 'gopher://user:hunter2@bad'], Math.random)
    } catch (err) {
      error = err
    }
    expect(error).toMatchObject({ name: 'InvalidBrokerUrlError' })
    expect(String((error as Error).message)).not.toContain('hunter2')
  })
})

/** Resolves with the next emission of `event` by `receiver`. */
function next<K extends keyof ReceiverEventMap>(
  receiver: Receiver,
  event: K,
): Promise<ReceiverEventMap[K]> {
  return new Promise((resolve) => {
    const off = receiver.on(event, (payload) => {
      off()
      resolve(payload)
    })
  })
}

describe.each([
  { brokerName: 'aedes', start: () => startAedes() },
  { brokerName: 'mosquitto', start: () => startMosquitto() },
])('a receiver with two brokers on $brokerName', ({ start }) => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const done of cleanup.splice(0).reverse()) await done()
  })

  const receiverOn = (brokerUrl: string[], clock: ManualClock) => {
    // 0.9: the shuffle keeps the order; 0.5: every reconnect wait is 20 s.
    const receiver = createReceiver({ brokerUrl }, { clock, random: scriptedRandom([0.9, 0.5]) })
    cleanup.push(() => receiver.stop())
    return receiver
  }

  it('the first is down: the attempt fails, and the reconnect loop connects to the second', async () => {
    const up: TestBroker = await start()
    cleanup.push(() => up.close())
    const down = `mqtt://127.0.0.1:${await freePort()}`
    const clock = createManualClock()
    const receiver = receiverOn([down, up.url], clock)
    const failed = next(receiver, 'error')
    const scheduled = next(receiver, 'reconnect-scheduled')
    await receiver.start()
    expect(await failed).toMatchObject({ name: 'BrokerUnreachableError' })
    expect((await scheduled).delayMs).toBe(20_000)
    expect(receiver.connected).toBe(false)
    expect(receiver.brokerUrl).toBe(up.url)
    const connected = next(receiver, 'connected')
    clock.advance(20_000)
    expect(await connected).toMatchObject({ brokerUrl: up.url, reconnect: true })
    await next(receiver, 'subscribed')
    expect(receiver.counters()).toMatchObject({ connectFailures: 1, connects: 1 })
  })

  it('a lost connection moves the loop to the next broker', async () => {
    const first: TestBroker = await start()
    const second: TestBroker = await start()
    cleanup.push(() => second.close())
    const clock = createManualClock()
    const receiver = receiverOn([first.url, second.url], clock)
    const connected = next(receiver, 'connected')
    await receiver.start()
    expect((await connected).brokerUrl).toBe(first.url)
    await next(receiver, 'subscribed')
    const lost = next(receiver, 'disconnected')
    const scheduled = next(receiver, 'reconnect-scheduled')
    await first.close()
    await lost
    await scheduled
    expect(receiver.brokerUrl).toBe(second.url)
    const again = next(receiver, 'connected')
    clock.advance(20_000)
    expect(await again).toMatchObject({ brokerUrl: second.url, reconnect: true })
  })
})
