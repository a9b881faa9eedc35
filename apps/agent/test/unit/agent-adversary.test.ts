/**
 * The agent against sybils and replays (issue 10), on a fake plaza: hearsay never counts,
 * answering is budgeted and size-bounded, the table is bounded, and a howdy is presence evidence
 * only at its `To`, inside our own hey_there's window.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { HOWDY_MAX_BYTES, howdyBytes } from '../../src/howdy-answer.js'
import { type FakeAgent, startFakeAgent } from '../helpers/fake-agent.js'

let running: FakeAgent | undefined
afterEach(async () => {
  await running?.agent.stop()
  running = undefined
})

const start = async (...args: Parameters<typeof startFakeAgent>) => {
  running = await startFakeAgent(...args)
  return running
}

const neighbours = (n: number, prefix: string) =>
  Array.from({ length: n }, (_, i) => ({
    Name: `${prefix}${i}`,
    PublicKey: 'K',
    MeshIP: '',
    ID: '',
    Observation: { online: 'ONLINE', last_seen: 1 },
  }))

describe('hearsay never counts', () => {
  it('one howdy listing 400 made-up neighbours leaves the ONLINE count unchanged', async () => {
    const a = await start({ NARA_CHECKPOINT_EVERY_S: '10', NARA_CHECKPOINT_CHECK_S: '5' })
    a.newspaper('bob')
    a.howdy({ From: 'bob', To: 'alice', Neighbors: neighbours(400, 'ghost') })
    const status = a.agent.status()
    expect(status.counts).toEqual({ ONLINE: 1, OFFLINE: 0, MISSING: 0, hearsay: 400 })
    const text = await a.agent.metrics()!.registry.metrics()
    expect(text).toContain('nara_neighbours{state="ONLINE",nara="alice"} 1')
    // The checkpoint min-peers check (6) sees 1 peer: no proposal.
    a.clock.advance(20_000)
    expect(a.plaza.calls.some((c) => c.method === 'publishCheckpointProposal')).toBe(false)
    // Control: 6 peers with verified evidence are enough.
    for (let i = 0; i < 6; i++) a.newspaper(`peer${i}`)
    a.clock.advance(10_000)
    expect(a.plaza.calls.some((c) => c.method === 'publishCheckpointProposal')).toBe(true)
  })

  it('never passes hearsay on in its own howdys', async () => {
    const a = await start()
    a.newspaper('bob')
    a.howdy({ From: 'bob', To: 'alice', Neighbors: neighbours(5, 'ghost') })
    a.heyThere('newbie')
    a.clock.advance(3000)
    const [sent] = a.howdysSent()
    expect(sent?.Neighbors?.map((n) => n.Name)).toEqual(['bob'])
    expect(Object.keys(sent?.Me.Observations ?? {}).sort()).toEqual(['bob', 'newbie'])
  })
})

describe('a howdy is presence evidence only at its To, inside our own hey_there window', () => {
  it('howdy replayed after To’s next hey_there gives no presence at a third party', async () => {
    const a = await start()
    a.howdy({ From: 'silent', To: 'carol' })
    expect(a.agent.neighbourhood()?.get('silent')).toBeUndefined()
    expect(a.agent.status().counts.ONLINE).toBe(0)
  })

  it('a howdy to us outside our own hey_there window is no presence', async () => {
    const a = await start()
    a.clock.advance(31_000)
    a.howdy({ From: 'late', To: 'alice' })
    expect(a.agent.neighbourhood()?.get('late')).toBeUndefined()
    // Within the window of our next hey_there it counts.
    await a.agent.stop()
    const b = await start()
    b.howdy({ From: 'welcome', To: 'alice' })
    expect(b.agent.neighbourhood()?.get('welcome')?.state).toBe('ONLINE')
  })

  it('a howdy never counts as a restart of a MISSING nara', async () => {
    const a = await start({ NARA_MISSING_AFTER_S: '10' })
    a.newspaper('bob')
    a.clock.advance(11_000)
    expect(a.agent.neighbourhood()?.get('bob')?.state).toBe('MISSING')
    await a.plaza.sayHeyThere()
    a.howdy({ From: 'bob', To: 'alice' })
    expect(a.agent.neighbourhood()?.get('bob')).toMatchObject({ state: 'MISSING', restarts: 0 })
  })
})

describe('answering is budgeted and size-bounded', () => {
  it('answering budget: howdy bytes sent for a burst of 1,000 hey_theres stay within the budget', async () => {
    const a = await start()
    // A big table: 300 naras known, so an unbounded howdy would carry 300 observations.
    for (let i = 0; i < 300; i++) a.newspaper(`peer${i}`)
    for (let i = 0; i < 1000; i++) {
      a.heyThere(`sybil${i}`)
      a.clock.advance(30)
    }
    a.clock.advance(3000)
    const sent = a.howdysSent()
    // 33 s: 10 at once, then one per 10 s.
    expect(sent.length).toBeLessThanOrEqual(10 + 3)
    expect(sent.length).toBeGreaterThanOrEqual(10)
    const bytes = sent.map((h) => howdyBytes('alice', h))
    expect(Math.max(...bytes)).toBeLessThanOrEqual(HOWDY_MAX_BYTES)
    expect(sent.every((h) => Object.keys(h.Me.Observations ?? {}).length <= 20)).toBe(true)
    expect(sent.every((h) => (h.Neighbors ?? []).length <= 10)).toBe(true)
  })

  it('honours a smaller byte bound by dropping observations, then neighbours', async () => {
    const a = await start({}, { howdyAnswers: { maxBytes: 2500 } })
    for (let i = 0; i < 30; i++) a.newspaper(`peer${i}`)
    a.heyThere('newbie')
    a.clock.advance(3000)
    const [sent] = a.howdysSent()
    expect(howdyBytes('alice', sent!)).toBeLessThanOrEqual(2500)
    expect(Object.keys(sent!.Me.Observations ?? {}).length).toBeLessThan(20)
  })
})

describe('the neighbourhood table is bounded', () => {
  it('1,000 sybil hey_theres keep the table under its cap and honest peers kept', async () => {
    const a = await start({}, { neighboursMax: 200 })
    for (let i = 0; i < 20; i++) a.plaza.standing.add(`honest${i}`)
    for (let i = 0; i < 20; i++) a.newspaper(`honest${i}`)
    for (let i = 0; i < 1000; i++) {
      a.heyThere(`sybil${i}`)
      a.clock.advance(10)
    }
    const status = a.agent.status()
    expect(status.neighbourhood.length).toBeLessThanOrEqual(200)
    for (let i = 0; i < 20; i++) {
      expect(a.agent.neighbourhood()?.get(`honest${i}`)?.state).toBe('ONLINE')
    }
  })
})
