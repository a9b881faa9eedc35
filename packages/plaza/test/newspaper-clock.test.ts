/** The newspaper boot anchor (issue 10, replays): driven by explicit times, no real clock. */
import { describe, expect, it } from 'vitest'
import { NewspaperClock } from '../src/inbound/newspaper-clock.js'

const MIN = 60_000
const DAY = 86_400

describe('newspaper clock', () => {
  it('dead nara replayed every 10 min: the first paper (fresh receiver) at most, the rest stale', () => {
    const clock = new NewspaperClock({ maxNames: 10 })
    const t0 = 1_000_000_000
    // The last paper the nara sent before it died: Uptime a day.
    const verdicts = Array.from({ length: 12 }, (_, i) =>
      clock.record('alice', DAY, t0 + i * 10 * MIN),
    )
    expect(verdicts).toEqual([true, ...Array(11).fill(false)])
  })

  it('a genuine host keeps its boot: papers every 5 s with growing Uptime are all accepted', () => {
    const clock = new NewspaperClock({ maxNames: 10 })
    const t0 = 5_000_000
    const verdicts = Array.from({ length: 20 }, (_, i) =>
      clock.record('alice', 3_600 + i * 5, t0 + i * 5_000),
    )
    expect(verdicts.every(Boolean)).toBe(true)
    // A paper of that boot replayed later (lower Uptime) does not fit it.
    expect(clock.record('alice', 3_600, t0 + 100_000)).toBe(false)
  })

  it('host reboot after an old high-Uptime paper: the genuine papers are accepted', () => {
    const clock = new NewspaperClock({ maxNames: 10 })
    const t0 = 10_000_000
    expect(clock.record('alice', DAY, t0)).toBe(true) // an old paper, replayed
    // The host rebooted 2 s after it; its hey_there never arrived. Papers every 5 s.
    const genuine = Array.from({ length: 5 }, (_, i) =>
      clock.record('alice', 3 + i * 5, t0 + 5_000 + i * 5_000),
    )
    expect(genuine).toEqual([true, true, true, true, true])
  })

  it('reboot whose hey_there was lost, after a replayed paper: refused for one candidate gap at most', () => {
    const clock = new NewspaperClock({ maxNames: 10 })
    const t0 = 20_000_000
    // The host booted at t0 - 100 s; a replayed day-old paper arrives at t0 - 5 s.
    expect(clock.record('alice', DAY, t0 - 5_000)).toBe(true)
    // Its genuine papers (every 5 s) started before the replay, so they do not look like a
    // reboot after it: the first two are refused, the third confirms the candidate boot.
    const genuine = Array.from({ length: 5 }, (_, i) =>
      clock.record('alice', 100 + i * 5, t0 + i * 5_000),
    )
    expect(genuine).toEqual([false, false, true, true, true])
  })

  it('a hey_there (forget) lets the next paper anchor anew; anchors are bounded', () => {
    const clock = new NewspaperClock({ maxNames: 2 })
    expect(clock.record('alice', DAY, 0)).toBe(true)
    expect(clock.record('alice', 100, 1_000)).toBe(false) // booted before the last paper
    clock.forget('alice')
    expect(clock.record('alice', 100, 2_000)).toBe(true)
    clock.record('bob', 1, 0)
    clock.record('carol', 1, 0)
    expect(clock.size).toBe(2)
  })

  it('at most 8 candidate boots per name, oldest forgotten', () => {
    const clock = new NewspaperClock({ maxNames: 10 })
    clock.record('alice', DAY, 0)
    // Nine replays of different old papers (boots 1 h apart), each a candidate.
    for (let i = 1; i <= 9; i++) expect(clock.record('alice', DAY + i * 3_600, 1_000)).toBe(false)
    // The first candidate was forgotten: a paper consistent with it does not confirm it.
    expect(clock.record('alice', DAY + 3_600 + 20, 21_000)).toBe(false)
    // The last one is still there.
    expect(clock.record('alice', DAY + 9 * 3_600 + 20, 21_000)).toBe(true)
  })
})
