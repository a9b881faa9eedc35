/**
 * A town: one receiver (one connection, one pipeline) and several speakers. Each speaker has its
 * own join (a jittered hey_there after each subscribe); the receiver delivers every verified
 * message once, the town's own included (each nara ignores its own).
 */
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { createReceiver, createSpeaker, type PlazaEvent, type Speaker } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import { makePlaza, nextEvent, SOULS, scriptedRandom } from './helpers.js'

describe('a town of one receiver and two speakers (aedes)', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const done of cleanup.splice(0).reverse()) await done()
  })

  it('each speaker joins on its own jitter; every hey_there is delivered once, to everyone', async () => {
    const broker: TestBroker = await startAedes()
    cleanup.push(() => broker.close())
    const clock = createManualClock()
    const receiver = createReceiver({ brokerUrl: broker.url }, { clock })
    cleanup.push(() => receiver.stop())
    const speakers: Speaker[] = (['alice', 'bob'] as const).map((name, i) => {
      // alice waits 1 s, bob 3 s (joinJitterMaxMs 4000).
      const random = scriptedRandom([i === 0 ? 0.25 : 0.75])
      const speaker = createSpeaker(
        { receiver, identity: { name, soul: SOULS[name] }, joinJitterMaxMs: 4000 },
        { clock, random },
      )
      cleanup.push(() => speaker.stop({ chau: true }))
      return speaker
    })
    const delays = speakers.map((s) => nextEvent(s as never, 'hey-there-scheduled'))
    const heard: PlazaEvent[] = []
    receiver.on('hey_there', (ev) => heard.push(ev))
    for (const s of speakers) await s.start()
    await receiver.start()
    expect((await Promise.all(delays)).map((d) => d.delayMs)).toEqual([1000, 3000])

    // carol, outside the town, hears both; the town hears carol and its own two, once each.
    const { plaza: carol } = makePlaza('carol', broker.url, {
      options: { heyThereOnConnect: false },
    })
    cleanup.push(() => carol.stop())
    const carolHeard: string[] = []
    carol.on('hey_there', (ev) => carolHeard.push(ev.sender))
    await carol.start()
    await nextEvent(carol, 'subscribed')
    clock.advance(1000)
    clock.advance(2000)
    await carol.sayHeyThere()
    await expectEventually(() => heard.length === 3 && carolHeard.length === 2)
    expect(heard.map((e) => e.sender).sort()).toEqual(['alice', 'bob', 'carol'])
    expect(carolHeard.sort()).toEqual(['alice', 'bob'])
    expect(receiver.counters().connects).toBe(1)
    // Every message was checked once, for both naras.
    expect(receiver.counters().verifications).toBe(3)
  })

  it('after a reconnect each speaker says hey_there again, after its own jitter', async () => {
    const broker: TestBroker = await startAedes()
    cleanup.push(() => broker.close())
    const clock = createManualClock()
    const receiver = createReceiver(
      { brokerUrl: broker.url, reconnectMinMs: 5000, reconnectMaxMs: 5001 },
      { clock, random: scriptedRandom([0.5]) },
    )
    cleanup.push(() => receiver.stop())
    const speaker = createSpeaker(
      { receiver, identity: { name: 'alice', soul: SOULS.alice }, joinJitterMaxMs: 100 },
      { clock, random: scriptedRandom([0.5]) },
    )
    cleanup.push(() => speaker.stop())
    await speaker.start()
    const first = nextEvent(speaker as never, 'hey-there-scheduled')
    await receiver.start()
    expect(await first).toEqual({ delayMs: 50 })
    const sent = nextEvent(speaker as never, 'hey-there-sent')
    clock.advance(50)
    expect(await sent).toMatchObject({ join: true })
    // One said on demand is not a join.
    const onDemand = nextEvent(speaker as never, 'hey-there-sent')
    await speaker.sayHeyThere()
    expect(await onDemand).toMatchObject({ join: false })
    // The broker drops us: the speaker's pending join is cancelled, a new one follows the reconnect.
    const again = nextEvent(speaker as never, 'hey-there-scheduled')
    const scheduled = nextEvent(receiver as never, 'reconnect-scheduled')
    await broker.stop()
    await scheduled
    await broker.restart()
    clock.advance(5000)
    expect(await again).toEqual({ delayMs: 50 })
  })
})

async function expectEventually(check: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(check()).toBe(true), { timeout: 10_000 })
}
