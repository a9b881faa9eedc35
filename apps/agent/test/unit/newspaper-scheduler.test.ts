import { describe, expect, it } from 'vitest'
import { newspaperPeriodS } from '../../src/chattiness.js'
import { createNewspaperScheduler } from '../../src/newspaper-scheduler.js'
import { fakeClock } from '../helpers/fake-clock.js'

describe('newspaper scheduler', () => {
  it('publishes at once, then every period, re-reading the period before each wait', () => {
    const clock = fakeClock()
    let chattiness = 100
    const times: number[] = []
    const start = clock.now()
    const s = createNewspaperScheduler({
      clock,
      periodS: () => newspaperPeriodS(chattiness),
      publish: () => times.push((clock.now() - start) / 1000),
    })
    s.start()
    clock.advance(60_000)
    chattiness = 0
    clock.advance(30_000)
    clock.advance(600_000)
    expect(times).toEqual([0, 30, 60, 90, 390, 690])
  })

  it('stops cleanly', () => {
    const clock = fakeClock()
    let n = 0
    const s = createNewspaperScheduler({ clock, periodS: () => 30, publish: () => n++ })
    s.start()
    s.stop()
    clock.advance(120_000)
    expect(n).toBe(1)
    expect(s.nextAtMs()).toBeUndefined()
    expect(clock.pending()).toBe(0)
  })
})
