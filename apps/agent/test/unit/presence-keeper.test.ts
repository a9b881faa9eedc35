import { describe, expect, it } from 'vitest'
import {
  createPresenceKeeper,
  goPeersOnline,
  isGoStatus,
  TS_VERSION,
} from '../../src/presence-keeper.js'
import { fakeClock, scriptedRandom } from '../helpers/fake-clock.js'

describe('presence toward Go naras', () => {
  it('recognises Go statuses by their version', () => {
    expect(isGoStatus({ Version: '0.2.0' })).toBe(true)
    expect(isGoStatus({ Version: '' })).toBe(true)
    expect(isGoStatus({ Version: TS_VERSION })).toBe(false)
    expect(isGoStatus(undefined)).toBe(false)
  })

  it('only counts ONLINE Go naras', () => {
    expect(goPeersOnline([{ state: 'OFFLINE', status: { Version: '0.2.0' } }])).toBe(false)
    expect(goPeersOnline([{ state: 'ONLINE', status: { Version: TS_VERSION } }])).toBe(false)
    expect(goPeersOnline([{ state: 'ONLINE', status: { Version: '0.2.0' } }])).toBe(true)
  })

  it('re-sends hey_there more often than every 300 s while a Go nara is around, never otherwise', () => {
    const clock = fakeClock()
    let go = false
    const sentAt: number[] = []
    const start = clock.now()
    const k = createPresenceKeeper({
      clock,
      random: scriptedRandom(1),
      goPeersPresent: () => go,
      sendHeyThere: () => sentAt.push(clock.now() - start),
    })
    k.start()
    clock.advance(3_600_000)
    expect(sentAt).toEqual([])
    go = true
    clock.advance(3_600_000)
    expect(sentAt.length).toBeGreaterThanOrEqual(3_600 / 240)
    const gaps = sentAt.slice(1).map((t, i) => t - sentAt[i]!)
    expect(Math.max(...gaps)).toBeLessThan(300_000)
    expect(k.sent()).toBe(sentAt.length)
    k.stop()
    clock.advance(3_600_000)
    expect(k.sent()).toBe(sentAt.length)
  })

  it('restarts its period when another hey_there went out', () => {
    const clock = fakeClock()
    let n = 0
    const k = createPresenceKeeper({
      clock,
      random: scriptedRandom(0),
      periodS: 240,
      goPeersPresent: () => true,
      sendHeyThere: () => n++,
    })
    k.start()
    clock.advance(200_000)
    k.heyThereSent()
    clock.advance(200_000)
    expect(n).toBe(0)
    clock.advance(40_000)
    expect(n).toBe(1)
  })
})
