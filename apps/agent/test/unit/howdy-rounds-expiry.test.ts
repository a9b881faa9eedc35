import { describe, expect, it } from 'vitest'
import { createHowdyRounds } from '../../src/howdy-rounds.js'
import { fakeClock } from '../helpers/fake-clock.js'
import { howdySetup } from '../helpers/howdy-setup.js'

const setup = (forgetAfterMs?: number) => howdySetup({ forgetAfterMs })

describe('howdy rounds: one sweep forgets them', () => {
  it('forgets each round forgetAfterMs after it opened, not before', () => {
    const { clock, c } = setup()
    c.onHeyThere('a')
    clock.advance(10_000)
    c.onHeyThere('b')
    clock.advance(10_000)
    c.onHeyThere('c')
    expect(c.active()).toBe(3)
    clock.advance(9_999) // a opened 29,999 ms ago
    expect(c.active()).toBe(3)
    clock.advance(1)
    expect(c.active()).toBe(2)
    clock.advance(9_999)
    expect(c.active()).toBe(2)
    clock.advance(1)
    expect(c.active()).toBe(1)
    clock.advance(10_000)
    expect(c.active()).toBe(0)
  })

  it('holds one forget timer however many rounds, and none once every round is forgotten', () => {
    const { clock, replies, c } = setup()
    for (let i = 0; i < 100; i++) c.onHeyThere(`n${i}`)
    expect(clock.pending()).toBe(101) // 100 answer delays and the sweep
    clock.advance(3000)
    expect(replies).toHaveLength(10) // the answer budget's burst
    expect(clock.pending()).toBe(1)
    expect(c.active()).toBe(100)
    clock.advance(27_000)
    expect(c.active()).toBe(0)
    expect(clock.pending()).toBe(0)
  })

  it('a repeated hey_there restarts the round, and its forget time with it', () => {
    const { clock, c } = setup(5000)
    c.onHeyThere('a')
    c.onHeyThere('b')
    clock.advance(1000)
    c.onHeyThere('a') // not answered yet (delay 1,500 ms): a new round, last in line
    clock.advance(4000)
    expect(c.active()).toBe(1) // b forgotten, a opened 4,000 ms ago
    clock.advance(999)
    expect(c.active()).toBe(1)
    clock.advance(1)
    expect(c.active()).toBe(0)
  })

  it('stop leaves no timer behind', () => {
    const { clock, c } = setup()
    for (let i = 0; i < 5; i++) c.onHeyThere(`n${i}`)
    c.stop()
    expect(c.active()).toBe(0)
    expect(clock.pending()).toBe(0)
  })

  it('a round started again after the sweep went idle is forgotten too', () => {
    const { clock, c } = setup(1000)
    c.onHeyThere('a')
    clock.advance(5000)
    expect([c.active(), clock.pending()]).toEqual([0, 0])
    clock.advance(60_000) // past the per-newcomer answer window
    c.onHeyThere('b')
    expect(c.active()).toBe(1)
    clock.advance(1000)
    expect([c.active(), clock.pending()]).toEqual([0, 0])
  })
})

describe('howdy rounds table', () => {
  it('a closed round keeps only its place and forget time; it is no longer open', () => {
    const clock = fakeClock()
    const rounds = createHowdyRounds(clock, 1000)
    const a = rounds.open('a', 'id-a')
    a.answerTimer = clock.setTimeout(() => {}, 500)
    rounds.open('b', 'id-b')
    expect(rounds.openRound('a')).toBe(a)
    rounds.close('a', a)
    expect([rounds.openRound('a'), a.answerTimer]).toEqual([undefined, undefined])
    expect([rounds.size(), rounds.oldest()]).toEqual([2, 'a'])
    expect(clock.pending()).toBe(1) // a's answer timer stopped; the sweep is left
    clock.advance(999)
    expect(rounds.size()).toBe(2)
    clock.advance(1)
    expect([rounds.size(), rounds.oldest()]).toEqual([0, undefined])
  })

  it('closing a round that was opened again since leaves the new one open', () => {
    const clock = fakeClock()
    const rounds = createHowdyRounds(clock, 1000)
    const first = rounds.open('a', '1')
    const second = rounds.open('a', '2')
    rounds.close('a', first)
    expect(rounds.openRound('a')).toBe(second)
    rounds.drop('a')
    expect(rounds.size()).toBe(0)
  })
})
