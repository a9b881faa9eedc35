import { describe, expect, it } from 'vitest'
import { createLogger } from '../../src/logger.js'
import { GO_TIMINGS } from '../../src/timings.js'
import { describeShow, SHOW_SCRIPT, showTimings } from '../../src/town-cadence.js'
import { createTownShow } from '../../src/town-show.js'
import { fakeClock } from '../helpers/fake-clock.js'

const logger = createLogger({ level: 'silent', pretty: false })
/** Lets the show's promise chains run (every cast step resolves at once). */
const settle = () => new Promise((r) => setImmediate(r))

describe('town show', () => {
  it('teases, sends one nara away and brings it back, on its script; stop() ends it', async () => {
    const clock = fakeClock()
    const steps: string[] = []
    const show = createTownShow({
      clock,
      script: SHOW_SCRIPT,
      logger,
      cast: {
        size: 7,
        tease: async (from, to) => void steps.push(`tease ${from}->${to}`),
        leave: async (i) => void steps.push(`leave ${i}`),
        comeBack: async (i) => void steps.push(`back ${i}`),
      },
    })
    show.start()
    const at = async (s: number) => {
      clock.advance(s * 1000 - (clock.now() - start))
      await settle()
    }
    const start = clock.now()
    await at(11)
    expect(steps).toEqual([])
    await at(12)
    expect(steps).toEqual(['tease 0->1'])
    await at(40)
    expect(steps.at(-1)).toBe('leave 6')
    await at(48)
    expect(steps.at(-1)).toBe('back 6')
    await at(57)
    expect(steps.at(-1)).toBe('tease 1->2')
    await at(160)
    expect(steps).toContain('leave 5')
    show.stop()
    const before = steps.length
    await at(1000)
    expect(steps).toHaveLength(before)
    expect(clock.pending()).toBe(0)
  })

  it('shortens the checkpoint cadence per nara, keeps Go values set otherwise, says so', () => {
    const first = showTimings(GO_TIMINGS, 0, 7)
    const last = showTimings(GO_TIMINGS, 6, 7)
    expect(first.checkpointEveryS).toBe(210)
    expect(first.checkpointFirstS).toBe(20)
    expect(last.checkpointFirstS).toBe(200)
    expect(first.checkpointCheckS).toBe(2)
    expect(first.checkpointMinPeers).toBe(GO_TIMINGS.checkpointMinPeers)
    expect(first.missingAfterS).toBe(GO_TIMINGS.missingAfterS)
    // A knob set in the environment wins over the show.
    const set = showTimings({ ...GO_TIMINGS, checkpointEveryS: 5, checkpointCheckS: 1 }, 3, 7)
    expect(set.checkpointEveryS).toBe(5)
    expect(set.checkpointCheckS).toBe(1)
    expect(set.checkpointFirstS).toBeUndefined()
    expect(describeShow(7)).toBe(
      'show cadence: checkpoints every 210 s (Go: 24 h), a chau every 120 s',
    )
  })
})
