import { BROKERS, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createManualClock } from '../src/testing.js'
import { makePlaza, nextEvent, startAndJoin } from './helpers.js'

describe.each(BROKERS)('smoke on $name', ({ start }) => {
  let broker: TestBroker
  beforeAll(async () => {
    broker = await start()
  })
  afterAll(() => broker.close())

  it('hey_there from alice reaches bob, verified', async () => {
    const clock = createManualClock()
    const a = makePlaza('alice', broker.url, { clock })
    const b = makePlaza('bob', broker.url, { clock })
    try {
      await startAndJoin(b.plaza)
      const delay = await startAndJoin(a.plaza)
      const got = nextEvent(b.plaza, 'hey_there', (e) => e.sender === 'alice')
      clock.advance(delay)
      const ev = await got
      expect(ev.sender).toBe('alice')
      expect(Object.isFrozen(ev)).toBe(true)
      expect(b.plaza.keyring.lookup('alice')).toBe(a.plaza.identity.publicKeyBase64)
    } finally {
      await a.plaza.stop()
      await b.plaza.stop()
    }
  })

  it.each([0, 1])(
    'reports the timing of each signature check in a verified event (verifyWorkers %i)',
    async (verifyWorkers) => {
      const clock = createManualClock()
      const a = makePlaza('alice', broker.url, { clock })
      const b = makePlaza('bob', broker.url, { clock, options: { verifyWorkers } })
      const runs: { count: number; seconds: number }[] = []
      b.plaza.on('verified', (ev) => runs.push(ev))
      try {
        await startAndJoin(b.plaza)
        const delay = await startAndJoin(a.plaza)
        const got = nextEvent(b.plaza, 'hey_there', (e) => e.sender === 'alice')
        clock.advance(delay)
        await got
        expect(runs.length).toBeGreaterThan(0)
        for (const run of runs) {
          expect(run.count).toBeGreaterThan(0)
          expect(run.seconds).toBeGreaterThanOrEqual(0)
        }
        // One event per run of checks: the counts add up to the checks counted, none twice.
        const total = runs.reduce((n, r) => n + r.count, 0)
        expect(total).toBe(b.plaza.counters().verifications)
      } finally {
        await a.plaza.stop()
        await b.plaza.stop()
      }
    },
  )
})
