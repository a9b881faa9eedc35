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
    expect(n.counts()).toEqual({ ONLINE: 0, OFFLINE: 0, MISSING: 1 })
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

  it('learns hearsay names without overriding what it saw itself', () => {
    const { n, now } = setup()
    n.observe('a', 'newspaper')
    n.learnHearsay('a', { observation: { online: 'OFFLINE' } })
    n.learnHearsay('h', {
      publicKey: 'HK',
      observation: { online: 'ONLINE', last_seen: Math.floor(now() / 1000) },
    })
    expect(n.get('a')?.state).toBe('ONLINE')
    expect(n.get('h')).toMatchObject({ state: 'ONLINE', hearsay: true, publicKey: 'HK' })
    n.observe('h', 'newspaper')
    expect(n.get('h')).toMatchObject({ hearsay: false, restarts: 0 })
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
