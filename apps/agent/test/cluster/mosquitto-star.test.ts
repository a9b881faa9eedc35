import type { Plaza } from '@nara/plaza'
import { type MosquittoStar, startMosquittoStar } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StatusDoc, stateOf } from '../helpers/agent-process.js'
import { startObserver } from '../helpers/observer.js'
import { allOnline, finalAcceptedEverywhere, watchStates } from './plaza-checks.js'
import { type SpreadPlaza, startSpreadPlaza } from './spread-plaza.js'

const newspapersOut = (s: StatusDoc): number => s.messages.out.newspaper ?? 0

/** Social events dropped as duplicates (the plaza's recomputed event ID was seen before). */
const duplicateSocials = (s: StatusDoc): number =>
  Object.entries(s.dropDetails as Record<string, number>)
    .filter(([key]) => key.startsWith('duplicate social'))
    .reduce((sum, [, n]) => sum + n, 0)

const malloryTeases = (s: StatusDoc) =>
  s.social.filter((e: StatusDoc) => e.actor === 'mallory' && e.type === 'tease')

describe('a plaza spread over a star of bridged mosquitto brokers', () => {
  let star: MosquittoStar
  let plaza: SpreadPlaza
  let mallory: Plaza | undefined

  beforeAll(async () => {
    // Hub, leaf 1, leaf 2. Leaf 2's bridge does not announce itself (try_private false), so
    // the hub echoes back everything published on leaf 2: those messages arrive there twice.
    star = await startMosquittoStar({ tryPrivate: [true, false] })
    const urls = star.brokers.map((b) => b.url)
    plaza = await startSpreadPlaza({ urls, townAt: 1, townSize: 3 })
  }, 120_000)

  afterAll(async () => {
    await mallory?.stop()
    await plaza?.stop()
    await star?.close()
  })

  it('every nara sees every other ONLINE across the bridges', async () => {
    const views = await plaza.waitViews((v) => allOnline(v, plaza.names))
    expect(new Set(views.map((v) => v.broker))).toEqual(new Set([0, 1, 2]))
  }, 120_000)

  it('a tease sent twice over a bridge is shown once and counted as a duplicate', async () => {
    const leaf2 = plaza.singles[2]!
    mallory = await startObserver(star.leaves[1]!.url, 'mallory')
    await mallory.sayHeyThere()
    await leaf2.waitFor((st) => stateOf(st, 'mallory') === 'ONLINE')
    await plaza.singles[1]!.waitFor((st) => stateOf(st, 'mallory') === 'ONLINE')
    const before = duplicateSocials(await leaf2.status())
    const target = plaza.names[1]!
    await mallory.publishSocial({ type: 'tease', target, reason: 'comeback' })
    // Leaf 2 gets mallory's tease twice (its own broker, then the hub's echo).
    const s = await leaf2.waitFor(
      (st) => malloryTeases(st).length >= 1 && duplicateSocials(st) > before,
    )
    expect(malloryTeases(s)).toHaveLength(1)
    // Through the hub, on leaf 1: verified and shown once too.
    const t = await plaza.singles[1]!.waitFor((st) => malloryTeases(st).length >= 1)
    expect(malloryTeases(t)).toHaveLength(1)
    expect(malloryTeases(await leaf2.status())).toHaveLength(1)
  }, 60_000)

  it('a checkpoint whose voters are on other brokers is final and accepted everywhere', async () => {
    const proposers = [plaza.names[0]!, plaza.names[2]!]
    const views = await plaza.waitViews((v) => finalAcceptedEverywhere(v, proposers) !== undefined)
    expect(proposers).toContain(finalAcceptedEverywhere(views, proposers)!.subject)
  }, 120_000)

  it('a stopped bridge leaves both sides working; restarted, presence converges', async () => {
    const cutName = plaza.names[2]!
    const bridge = star.bridges[1]!
    const watch = watchStates(plaza, cutName)
    try {
      const sentBefore = newspapersOut(await plaza.singles[2]!.status())
      await bridge.stop()
      // Leaf 2's nara stays connected and keeps publishing, but hears no one past the cut...
      await plaza.singles[2]!.waitFor(
        (s) =>
          s.me.connected === true &&
          newspapersOut(s) > sentBefore + 2 &&
          plaza.names.slice(0, 2).every((n) => stateOf(s, n) === 'MISSING'),
        90_000,
      )
      // ...while the hub and leaf 1 side still see each other ONLINE.
      const rest = plaza.names.filter((n) => n !== cutName)
      await plaza.waitViews((v) =>
        allOnline(
          v.filter((x) => x.name !== cutName),
          rest,
        ),
      )
      await bridge.start()
      await star.waitBridged()
      await plaza.waitViews((v) => allOnline(v, plaza.names))
    } finally {
      watch.stop()
    }
    expect(watch.seen().filter((s) => s.state === 'OFFLINE')).toEqual([])
  }, 240_000)
})
