import { describe, expect, it } from 'vitest'
import {
  createHowdyBoard,
  createHowdyCoordinator,
  type HowdyReply,
  selectNeighbours,
} from '../../src/howdy-coordinator.js'
import { fakeClock, scriptedRandom } from '../helpers/fake-clock.js'
import { howdySetup } from '../helpers/howdy-setup.js'

/** Every sender has standing unless `standing` says otherwise. */
const setup = (random = scriptedRandom(0.5), standing?: (name: string, atMs: number) => boolean) =>
  howdySetup({ random, standing })

describe('howdy self-selection', () => {
  it('answers a hey_there after the random delay with Seq 1 when nobody answered yet', () => {
    const { clock, replies, c } = setup(scriptedRandom(0.5))
    c.onHeyThere('newbie')
    clock.advance(1499)
    expect(replies).toHaveLength(0)
    clock.advance(1)
    expect(replies).toEqual([{ to: 'newbie', seq: 1, mentioned: new Set() }])
  })

  it('uses Seq = howdys seen + 1 and excludes already-mentioned names', () => {
    const { clock, replies, c } = setup(scriptedRandom(0.9))
    c.onHeyThere('newbie')
    c.onHowdy({ from: 'a', to: 'newbie', neighbours: ['x', 'y'] })
    c.onHowdy({ from: 'b', to: 'newbie', neighbours: ['z'] })
    c.onHowdy({ from: 'c', to: 'someone-else', neighbours: ['w'] })
    clock.advance(3000)
    expect(replies).toHaveLength(1)
    expect(replies[0]?.seq).toBe(3)
    expect([...(replies[0]?.mentioned ?? [])].sort()).toEqual(['a', 'b', 'x', 'y', 'z'])
  })

  it('stays silent once 10 howdys were seen for the newcomer', () => {
    const { clock, replies, c } = setup(scriptedRandom(0.99))
    c.onHeyThere('newbie')
    for (let i = 0; i < 10; i++) c.onHowdy({ from: `n${i}`, to: 'newbie', neighbours: [] })
    clock.advance(5000)
    expect(replies).toHaveLength(0)
  })

  it('answers with Seq 10 when 9 were seen', () => {
    const { clock, replies, c } = setup(scriptedRandom(0.99))
    c.onHeyThere('newbie')
    for (let i = 0; i < 9; i++) c.onHowdy({ from: `n${i}`, to: 'newbie', neighbours: [] })
    clock.advance(5000)
    expect(replies.map((r) => r.seq)).toEqual([10])
  })

  it('ignores its own hey_there and its own howdys', () => {
    const { clock, replies, c } = setup()
    c.onHeyThere('me')
    c.onHeyThere('newbie')
    c.onHowdy({ from: 'me', to: 'newbie', neighbours: [] })
    clock.advance(3000)
    expect(replies.map((r) => r.seq)).toEqual([1])
  })

  it('answers a newcomer once per howdy window however often it says hey_there', () => {
    const { clock, replies, c } = setup(scriptedRandom(0))
    c.onHeyThere('newbie')
    clock.advance(10)
    c.onHeyThere('newbie')
    clock.advance(10)
    expect(replies).toHaveLength(1)
    expect(c.active()).toBe(1)
    clock.advance(30_000)
    expect(c.active()).toBe(0)
    // After the window, a new hey_there is a new round.
    c.onHeyThere('newbie')
    clock.advance(10)
    expect(replies).toHaveLength(2)
  })

  it('restarts a round not answered yet on a repeated hey_there', () => {
    const { clock, replies, c } = setup(scriptedRandom(0.5))
    c.onHeyThere('newbie')
    clock.advance(1000)
    c.onHeyThere('newbie')
    clock.advance(1499)
    expect(replies).toHaveLength(0)
    clock.advance(1)
    expect(replies.map((r) => r.seq)).toEqual([1])
  })

  it('among 15 scripted naras, at most 10 answer one newcomer', () => {
    const clock = fakeClock()
    const published: HowdyReply[] = []
    const naras = Array.from({ length: 15 }, (_, i) =>
      createHowdyCoordinator({
        me: `n${i}`,
        clock,
        random: scriptedRandom(i / 15),
        hadStanding: () => true,
        respond: (r) => {
          published.push(r)
          for (const other of naras) other.onHowdy({ from: `n${i}`, to: r.to, neighbours: [] })
          return undefined
        },
      }),
    )
    for (const n of naras) n.onHeyThere('newbie')
    clock.advance(3000)
    expect(published).toHaveLength(10)
    expect(published.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})

describe('howdy self-selection against sybils', () => {
  it('10 throwaway-key howdys do not silence a responder', () => {
    const withStanding = new Set(Array.from({ length: 10 }, (_, i) => `peer${i}`))
    // Control: 10 howdys from senders with standing silence this nara, as §6.3 says.
    const control = setup(scriptedRandom(0.99), (name) => withStanding.has(name))
    control.c.onHeyThere('newbie')
    for (const name of withStanding) control.c.onHowdy({ from: name, to: 'newbie', neighbours: [] })
    control.clock.advance(3000)
    expect(control.replies).toHaveLength(0)
    // Attacked: 10 verified howdys from fresh keys (no standing) count for nothing.
    const attacked = setup(scriptedRandom(0.99), (name) => withStanding.has(name))
    attacked.c.onHeyThere('newbie')
    for (let i = 0; i < 10; i++) {
      attacked.c.onHowdy({ from: `sybil${i}`, to: 'newbie', neighbours: ['peer1', 'peer2'] })
    }
    attacked.clock.advance(3000)
    expect(attacked.replies).toEqual([{ to: 'newbie', seq: 1, mentioned: new Set() }])
  })

  it('counts a sender only if it had standing when the round opened', () => {
    const clock = fakeClock()
    const standingSince = new Map([['old', clock.now() - 1]])
    const replies: HowdyReply[] = []
    const c = createHowdyCoordinator({
      me: 'me',
      clock,
      random: scriptedRandom(0.99),
      maxResponders: 1,
      hadStanding: (name, atMs) => (standingSince.get(name) ?? Number.POSITIVE_INFINITY) < atMs,
      respond: (r) => void replies.push(r),
    })
    c.onHeyThere('newbie')
    clock.advance(100)
    // Promoted during the round (e.g. by this very howdy): not counted.
    standingSince.set('promoted', clock.now())
    c.onHowdy({ from: 'promoted', to: 'newbie', neighbours: [] })
    clock.advance(3000)
    expect(replies.map((r) => r.seq)).toEqual([1])
    clock.advance(30_000)
    c.onHeyThere('other')
    c.onHowdy({ from: 'old', to: 'other', neighbours: [] })
    clock.advance(3000)
    expect(replies).toHaveLength(1)
  })

  it('answering budget: a burst of 1,000 hey_theres from fresh names gets 10 answers, then one per 10 s', () => {
    const { clock, replies, c } = setup(scriptedRandom(0))
    for (let i = 0; i < 1000; i++) c.onHeyThere(`sybil${i}`)
    clock.advance(10)
    expect(replies).toHaveLength(10)
    expect(c.stats()).toMatchObject({ answered: 10, refusedByBudget: 990, tokens: 0 })
    for (let s = 0; s < 6; s++) {
      clock.advance(10_000)
      for (let i = 0; i < 100; i++) c.onHeyThere(`later${s}-${i}`)
      clock.advance(10)
    }
    // 60 s later: 10 + 6 answers in all, whatever the number of hey_theres.
    expect(replies).toHaveLength(16)
    expect(c.active()).toBeLessThanOrEqual(1024)
  })

  it('the budget is an option', () => {
    const clock = fakeClock()
    const replies: HowdyReply[] = []
    const c = createHowdyCoordinator({
      me: 'me',
      clock,
      random: scriptedRandom(0),
      hadStanding: () => true,
      budget: { burst: 3, everyMs: 20_000 },
      respond: (r) => void replies.push(r),
    })
    for (let i = 0; i < 100; i++) c.onHeyThere(`sybil${i}`)
    clock.advance(19_999)
    expect(replies).toHaveLength(3)
    expect(c.stats().tokens).toBe(0)
    clock.advance(1)
    expect(c.stats().tokens).toBe(1)
  })

  it('keeps at most 1,024 rounds in progress', () => {
    const { clock, c } = setup(scriptedRandom(0.99))
    for (let i = 0; i < 5000; i++) c.onHeyThere(`sybil${i}`)
    expect(c.active()).toBe(1024)
    // One answer timer per round, and the one sweep that forgets rounds (no timer per round).
    expect(clock.pending()).toBe(1025)
  })
})

describe('selectNeighbours', () => {
  it('puts ONLINE first, then the least recently seen, skipping newcomer and mentioned, max 10', () => {
    const known = [
      { name: 'newbie', state: 'ONLINE' as const, lastSeenMs: 1 },
      { name: 'gone', state: 'OFFLINE' as const, lastSeenMs: 1 },
      { name: 'b', state: 'ONLINE' as const, lastSeenMs: 50 },
      { name: 'a', state: 'ONLINE' as const, lastSeenMs: 100 },
      { name: 'told', state: 'ONLINE' as const, lastSeenMs: 2 },
      ...Array.from({ length: 12 }, (_, i) => ({
        name: `m${i}`,
        state: 'MISSING' as const,
        lastSeenMs: i,
      })),
    ]
    const picked = selectNeighbours(known, 'newbie', new Set(['told']))
    expect(picked).toHaveLength(10)
    expect(picked.slice(0, 3).map((n) => n.name)).toEqual(['b', 'a', 'm0'])
  })
})

describe('a town-wide howdy board', () => {
  /** `n` coordinators of one process sharing one board, delays 0.1, 0.2, ... of 3 s. */
  const town = (n: number) => {
    const clock = fakeClock()
    const board = createHowdyBoard()
    const replies: Array<HowdyReply & { from: string }> = []
    const naras = Array.from({ length: n }, (_, i) =>
      createHowdyCoordinator({
        me: `n${i}`,
        clock,
        random: scriptedRandom((i + 1) / (n + 1)),
        board,
        hadStanding: () => true,
        respond: (r) => {
          replies.push({ ...r, from: `n${i}` })
          return [`friend-of-n${i}`]
        },
      }),
    )
    return { clock, board, replies, naras }
  }

  it('co-residents answers count at once: 30 naras of one process answer a newcomer 10 times', () => {
    const { clock, replies, naras } = town(30)
    for (const c of naras) c.onHeyThere('newbie', 'ev-1')
    // No howdy comes back through the broker during the round (a busy broker): the board alone
    // stops the 11th answer.
    clock.advance(3000)
    expect(replies).toHaveLength(10)
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    // Each answer leaves out the names earlier answers listed (and their senders).
    expect([...(replies[2]?.mentioned ?? [])].sort()).toEqual([
      'friend-of-n0',
      'friend-of-n1',
      'n0',
      'n1',
    ])
  })

  it('a co-resident howdy that also comes back through the broker counts once', () => {
    const { clock, replies, naras } = town(12)
    for (const c of naras) c.onHeyThere('newbie', 'ev-1')
    clock.advance(3000 * (1 / 13) + 1) // n0 answered
    expect(replies.map((r) => r.from)).toEqual(['n0'])
    for (const c of naras) c.onHowdy({ from: 'n0', to: 'newbie', neighbours: ['friend-of-n0'] })
    clock.advance(3000)
    expect(replies.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })

  it('a new hey_there of the same newcomer after the howdy window is a new round', () => {
    const { clock, replies, naras } = town(12)
    for (const c of naras) c.onHeyThere('newbie', 'ev-1')
    clock.advance(3000)
    expect(replies).toHaveLength(10)
    // Within the window each nara answers a newcomer at most once: only the two that stayed
    // silent may answer a repeated hey_there.
    for (const c of naras) c.onHeyThere('newbie', 'ev-2')
    clock.advance(3000)
    expect(replies.slice(10).map((r) => r.from)).toEqual(['n10', 'n11'])
    replies.splice(10)
    clock.advance(30_000)
    for (const c of naras) c.onHeyThere('newbie', 'ev-3')
    clock.advance(3000)
    expect(replies).toHaveLength(20)
    expect(replies.slice(10).map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})
