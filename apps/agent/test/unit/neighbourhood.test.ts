import { describe, expect, it } from 'vitest'
import { createNeighbourhood } from '../../src/neighbourhood.js'

const setup = (opts: { missingAfterS?: number } = {}) => {
  let now = 1_000_000
  const n = createNeighbourhood({ me: 'me', nowMs: () => now, ...opts })
  return { n, advance: (ms: number) => (now += ms), now: () => now }
}

describe('neighbourhood', () => {
  it('never lists itself', () => {
    const { n } = setup()
    expect(n.observe('me', 'newspaper')).toBe(false)
    expect(n.size()).toBe(0)
  })

  it('peek and each read the rows as held, with the states get and list report', () => {
    const { n, advance } = setup()
    const status = { Version: '0.2.0-ts', Buzz: 7 }
    n.observe('alice', 'newspaper', { status })
    advance(200_000)
    n.observe('bob', 'hey_there', { publicKey: 'BK' })
    n.learnHearsay('carol', { publicKey: 'CK' })
    advance(100_001)
    expect(n.peek('alice')?.status).toBe(status)
    expect(n.peek('alice')).toBe(n.peek('alice'))
    expect(n.peek('nobody')).toBeUndefined()
    const seen: Record<string, string> = {}
    n.each((row, state) => {
      seen[row.name] = state
    })
    expect(seen).toEqual(Object.fromEntries(n.list().map((x) => [x.name, x.state])))
    expect(seen).toEqual({ alice: 'MISSING', bob: 'ONLINE', carol: 'hearsay' })
  })

  it('keeps a newspaper status as given and takes its ID only when bound', () => {
    const { n } = setup()
    const status = { Version: '0.2.0-ts', ID: 'CLAIMED' }
    n.observe('alice', 'newspaper', { status, statusIdBound: false, naraId: 'BOUND' })
    n.observe('bob', 'newspaper', { status: { ID: 'BID' } })
    expect(n.get('alice')).toMatchObject({ naraId: 'BOUND', status })
    expect(n.get('alice')?.status).toBe(status)
    expect(n.get('bob')?.naraId).toBe('BID')
  })

  it('marks a nara ONLINE on verified evidence and MISSING after the threshold', () => {
    const { n, advance } = setup()
    n.observe('alice', 'hey_there', { publicKey: 'K', naraId: 'ID' })
    expect(n.get('alice')).toMatchObject({
      state: 'ONLINE',
      publicKey: 'K',
      naraId: 'ID',
      restarts: 0,
    })
    advance(300_000)
    expect(n.get('alice')?.state).toBe('ONLINE')
    advance(1)
    expect(n.get('alice')?.state).toBe('MISSING')
    expect(n.counts()).toEqual({ ONLINE: 0, OFFLINE: 0, MISSING: 1, hearsay: 0 })
  })

  it('keeps a nara ONLINE through its newspapers (no flapping among TS naras)', () => {
    const { n, advance } = setup()
    n.observe('alice', 'hey_there')
    for (let i = 0; i < 20; i++) {
      advance(290_000)
      n.observe('alice', 'newspaper', { status: { Version: '0.2.0-ts', Buzz: 3 } })
      expect(n.get('alice')?.state).toBe('ONLINE')
    }
    expect(n.get('alice')?.restarts).toBe(0)
    expect(n.get('alice')?.status?.Buzz).toBe(3)
  })

  it('uses the gossip threshold for subjects advertising transport_mode gossip', () => {
    const { n, advance } = setup()
    n.observe('g', 'newspaper', { status: { transport_mode: 'gossip' } })
    advance(3_000_000)
    expect(n.get('g')?.state).toBe('ONLINE')
    advance(700_000)
    expect(n.get('g')?.state).toBe('MISSING')
  })

  it('goes OFFLINE on chau, and counts a return as a restart', () => {
    const { n, advance } = setup()
    n.observe('bob', 'hey_there')
    advance(10_000)
    expect(n.chau('bob')).toBe(true)
    expect(n.get('bob')?.state).toBe('OFFLINE')
    advance(1_000_000)
    expect(n.get('bob')?.state).toBe('OFFLINE')
    n.observe('bob', 'hey_there')
    expect(n.get('bob')).toMatchObject({ state: 'ONLINE', restarts: 1 })
  })

  it('counts a return from MISSING as a restart and keeps uptime of both spans', () => {
    const { n, advance } = setup({ missingAfterS: 10 })
    n.observe('c', 'newspaper')
    advance(5_000)
    n.observe('c', 'newspaper')
    advance(60_000)
    expect(n.get('c')?.state).toBe('MISSING')
    n.observe('c', 'newspaper')
    advance(2_000)
    expect(n.get('c')).toMatchObject({ state: 'ONLINE', restarts: 1, totalUptimeMs: 7_000 })
  })

  it('ignores stale replays of hey_there and chau', () => {
    const { n, now } = setup()
    expect(n.observe('old', 'hey_there', { eventTimeMs: now() - 301_000 })).toBe(false)
    n.observe('old', 'hey_there', { eventTimeMs: now() })
    expect(n.chau('old', { eventTimeMs: now() - 400_000 })).toBe(false)
    expect(n.get('old')?.state).toBe('ONLINE')
  })

  it('ignores a chau from an unknown nara', () => {
    const { n } = setup()
    expect(n.chau('ghost')).toBe(false)
    expect(n.size()).toBe(0)
  })

  it('learns hearsay names without overriding what it saw itself; hearsay is never ONLINE', () => {
    const { n } = setup()
    n.observe('a', 'newspaper')
    n.learnHearsay('a', { publicKey: 'OTHER' })
    n.learnHearsay('h', { publicKey: 'HK' })
    expect(n.get('a')).toMatchObject({ state: 'ONLINE', hearsay: false })
    expect(n.get('h')).toMatchObject({ state: 'hearsay', hearsay: true, publicKey: 'HK' })
    expect(n.counts()).toEqual({ ONLINE: 1, OFFLINE: 0, MISSING: 0, hearsay: 1 })
    // Not passed on as an observation either.
    expect(Object.keys(n.observations())).toEqual(['a'])
    expect(n.observationOf('h')).toEqual({})
    n.observe('h', 'newspaper')
    expect(n.get('h')).toMatchObject({ state: 'ONLINE', hearsay: false, restarts: 0 })
  })

  it('one howdy listing 400 made-up neighbours leaves the ONLINE count unchanged', () => {
    const { n } = setup()
    n.observe('sender', 'howdy')
    for (let i = 0; i < 400; i++) n.learnHearsay(`ghost${i}`, {})
    expect(n.counts()).toEqual({ ONLINE: 1, OFFLINE: 0, MISSING: 0, hearsay: 400 })
  })

  it('refresh-only evidence (a howdy) never brings back a MISSING or OFFLINE nara', () => {
    const { n, advance } = setup({ missingAfterS: 10 })
    expect(n.observe('new', 'howdy', { refreshOnly: true })).toBe(true)
    n.observe('m', 'newspaper')
    n.observe('o', 'newspaper')
    n.chau('o')
    advance(11_000)
    expect(n.observe('m', 'howdy', { refreshOnly: true })).toBe(false)
    expect(n.observe('o', 'howdy', { refreshOnly: true })).toBe(false)
    expect(n.get('m')).toMatchObject({ state: 'MISSING', restarts: 0 })
    expect(n.get('o')).toMatchObject({ state: 'OFFLINE', restarts: 0 })
    n.observe('new', 'newspaper')
    expect(n.observe('new', 'howdy', { refreshOnly: true })).toBe(true)
  })

  it('records when a name was first seen with standing', () => {
    const { n, advance, now } = setup()
    n.observe('a', 'hey_there', { standing: false })
    expect(n.hadStandingBefore('a', now() + 1)).toBe(false)
    const at = now()
    n.observe('a', 'newspaper', { standing: true })
    advance(5)
    n.observe('a', 'newspaper', { standing: true })
    expect(n.get('a')?.standingSinceMs).toBe(at)
    expect(n.hadStandingBefore('a', at)).toBe(false)
    expect(n.hadStandingBefore('a', at + 1)).toBe(true)
    expect(n.hadStandingBefore('nobody', at + 1)).toBe(false)
  })

  it('1,000 sybil hey_theres keep the table under its cap and honest peers kept', () => {
    let now = 1_000_000
    const n = createNeighbourhood({ me: 'me', nowMs: () => now, maxEntries: 100 })
    for (let i = 0; i < 20; i++) n.observe(`honest${i}`, 'newspaper', { standing: true })
    n.observe('gone', 'newspaper', { standing: true })
    n.chau('gone')
    for (let i = 0; i < 30; i++) n.learnHearsay(`rumour${i}`, {})
    for (let i = 0; i < 1000; i++) {
      now += 10
      n.observe(`sybil${i}`, 'hey_there', { standing: false })
      expect(n.size()).toBeLessThanOrEqual(100)
    }
    for (let i = 0; i < 20; i++) expect(n.get(`honest${i}`)?.state).toBe('ONLINE')
    expect(n.get('gone')?.state).toBe('OFFLINE')
    expect(n.list().filter((x) => x.hearsay)).toEqual([])
    // The newest sybils are the ones kept.
    expect(n.get('sybil999')?.state).toBe('ONLINE')
    expect(n.get('sybil0')).toBeUndefined()
  })

  it('when full, evicts hearsay first, then keys without standing, then OFFLINE before ONLINE', () => {
    let now = 1_000_000
    const n = createNeighbourhood({ me: 'me', nowMs: () => now, maxEntries: 3 })
    n.observe('online', 'newspaper', { standing: true })
    n.observe('offline', 'newspaper', { standing: true })
    n.chau('offline')
    n.learnHearsay('rumour', {})
    now += 1
    n.observe('fresh', 'hey_there')
    expect(n.list().map((x) => x.name)).toEqual(['fresh', 'offline', 'online'])
    now += 1
    n.observe('veteran', 'newspaper', { standing: true })
    expect(n.list().map((x) => x.name)).toEqual(['offline', 'online', 'veteran'])
    now += 1
    n.observe('veteran2', 'newspaper', { standing: true })
    expect(n.list().map((x) => x.name)).toEqual(['online', 'veteran', 'veteran2'])
  })

  it('produces wire observations in seconds and an object map', () => {
    const { n, now } = setup()
    expect(n.observations()).toEqual({})
    n.observe('a', 'newspaper')
    expect(n.observationOf('a')).toEqual({
      start_time: Math.floor(now() / 1000),
      online: 'ONLINE',
      last_seen: Math.floor(now() / 1000),
    })
    expect(n.observationOf('nobody')).toEqual({})
    expect(Object.keys(n.observations())).toEqual(['a'])
  })
})
