/**
 * A SUBSCRIBE the broker refuses (SUBACK 0x80): retried after 1 s, then 2 s (Go), on the
 * injected clock; still refused, it is an `error` naming the topic and the connection is dropped
 * so the reconnect loop runs, instead of staying connected and deaf. Real aedes broker whose
 * `authorizeSubscribe` refuses the topic.
 */
import { TOPICS } from '@nara/protocol'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterEach, describe, expect, it } from 'vitest'
import type { Plaza, PlazaError } from '../src/index.js'
import { createManualClock, type ManualClock } from '../src/testing.js'
import { makePlaza, nextEvent, scriptedRandom } from './helpers.js'

const until = (condition: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const poll = () => (condition() ? resolve() : setImmediate(poll))
    poll()
  })

/** Resolves when a timer of `delayMs` is pending on the manual clock. */
const timerArmed = (clock: ManualClock, delayMs: number) =>
  until(() => clock.pending().some((t) => t.delayMs === delayMs))

describe('subscribe retries', () => {
  const cleanup: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const done of cleanup.splice(0).reverse()) await done()
  })

  const setup = async (refuse: (topic: string) => boolean) => {
    const attempts: string[] = []
    const broker: TestBroker = await startAedes({
      authorizeSubscribe: (topic) => {
        attempts.push(topic)
        return !refuse(topic)
      },
    })
    cleanup.push(() => broker.close())
    const clock = createManualClock()
    const { plaza } = makePlaza('alice', broker.url, {
      clock,
      random: scriptedRandom([0.5]),
      options: { heyThereOnConnect: false },
    })
    cleanup.push(() => plaza.stop())
    const errors: PlazaError[] = []
    plaza.on('error', (e) => errors.push(e))
    return { broker, clock, plaza: plaza as Plaza, attempts, errors }
  }

  it('retries a refused SUBSCRIBE after 1 s and then 2 s on the injected clock, then is subscribed', async () => {
    let refusals = 2
    const { clock, plaza, attempts, errors } = await setup((topic) => {
      if (topic !== TOPICS.howdy || refusals === 0) return false
      refusals -= 1
      return true
    })
    const subscribed = nextEvent(plaza, 'subscribed')
    await plaza.start()
    await timerArmed(clock, 1000)
    expect(attempts.filter((t) => t === TOPICS.howdy)).toHaveLength(1)
    clock.advance(1000)
    await timerArmed(clock, 2000)
    expect(attempts.filter((t) => t === TOPICS.howdy)).toHaveLength(2)
    clock.advance(2000)
    expect((await subscribed).topics).toHaveLength(12)
    // Only the refused topic was asked again; nobody was dropped, nothing was reported.
    expect(attempts).toHaveLength(12 + 2)
    expect(attempts.slice(12)).toEqual([TOPICS.howdy, TOPICS.howdy])
    expect(errors).toEqual([])
    expect(plaza.connected).toBe(true)
    expect(plaza.counters().disconnects).toBe(0)
  })

  it('a SUBSCRIBE refused three times is a SubscribeFailedError naming the topic, and the reconnect loop takes over (never connected and deaf)', async () => {
    let refusing = true
    const { clock, plaza, attempts, errors } = await setup(
      (topic) => refusing && topic === TOPICS.checkpointFinal,
    )
    const disconnected = nextEvent(plaza, 'disconnected')
    const scheduled = nextEvent(plaza, 'reconnect-scheduled')
    await plaza.start()
    await timerArmed(clock, 1000)
    clock.advance(1000)
    await timerArmed(clock, 2000)
    clock.advance(2000)
    const { error } = await disconnected
    await scheduled
    expect(attempts.filter((t) => t === TOPICS.checkpointFinal)).toHaveLength(3)
    expect(errors).toHaveLength(1)
    expect(errors[0]?.name).toBe('SubscribeFailedError')
    expect(errors[0]?.code).toBe('subscribe-failed')
    expect(errors[0]).toMatchObject({ topic: TOPICS.checkpointFinal })
    expect(errors[0]?.message).toContain(TOPICS.checkpointFinal)
    expect(error).toBe(errors[0])
    expect(plaza.connected).toBe(false)
    // The loop's next attempt, with the broker willing again: connected and subscribed.
    refusing = false
    const resubscribed = nextEvent(plaza, 'subscribed')
    clock.runNext()
    expect((await resubscribed).topics).toHaveLength(12)
    expect(plaza.counters()).toMatchObject({ connects: 2, reconnects: 1, disconnects: 1 })
  })
})
