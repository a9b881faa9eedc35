/**
 * Howdy self-selection against sybils on a real mosquitto (issue 10): an agent in this process
 * (the responder, its timers on a fake clock so its answer waits until the test has delivered
 * every howdy of the round) faces three joins. 10 howdys from senders with standing (pins in its
 * keyring.json) silence it, as §6.3 says; 10 howdys from throwaway keys do not; an unattacked
 * join is answered.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Plaza } from '@nara/plaza'
import type { HowdyEvent } from '@nara/protocol'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { pino } from 'pino'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { type Agent, createAgent } from '../../src/agent.js'
import { loadConfig } from '../../src/config.js'
import { buildOwnStatus } from '../../src/own-status.js'
import { productionDeps } from '../../src/plaza-adapter.js'
import { fakeClock } from '../helpers/fake-clock.js'
import { startObserver } from '../helpers/observer.js'

const status = (publicKey: string) =>
  buildOwnStatus({
    publicKey,
    naraId: '',
    flair: '',
    personality: { Agreeableness: 0, Sociability: 0, Chill: 0 },
    aura: { primary: '#000000', secondary: '#000000' },
    chattiness: 0,
    buzz: 0,
    observations: {},
    procCpuPercent: 0,
  })

describe('howdy self-selection against sybils, on mosquitto', () => {
  let broker: MosquittoBroker
  let agent: Agent
  const clock = fakeClock(Date.now())
  const plazas: Plaza[] = []
  const seen: HowdyEvent[] = []
  let peers: Plaza[] = []

  const plaza = async (name: string) => {
    const p = await startObserver(broker.url, name)
    plazas.push(p)
    return p
  }
  const howdysIn = () => agent.metrics()?.snapshot().in.howdy ?? 0

  beforeAll(async () => {
    broker = await startMosquitto()
    const watcher = await plaza('watcher')
    watcher.on('howdy', (ev) => void seen.push(ev.message))
    const heyTheres = new Set<string>()
    watcher.on('hey_there', (ev) => void heyTheres.add(ev.sender))
    peers = await Promise.all(Array.from({ length: 10 }, (_, i) => plaza(`peer${i}`)))
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-sybils-'))
    // The responder already trusts the 10 peers: durable pins, as after an earlier run.
    const pins = Object.fromEntries(peers.map((p) => [p.identity.name, p.identity.publicKeyBase64]))
    writeFileSync(join(dataDir, 'keyring.json'), JSON.stringify(pins))
    const config = loadConfig({
      MQTT_HOST: broker.url,
      NARA_ID: 'responder',
      NARA_HOWDY_DELAY_MAX_MS: '3000',
      NARA_NEWSPAPER_PERIOD_S: '600',
    })
    const logger = pino({ level: 'silent' })
    agent = createAgent(
      {
        broker: config.broker!,
        dataDir,
        chattiness: 0,
        timings: config.timings,
        http: undefined,
        logger,
      },
      {
        ...productionDeps({
          dataDir,
          broker: config.broker!,
          name: 'responder',
          soul: undefined,
          logger,
          timings: config.timings,
        }),
        clock,
        // Every answer delay is 2,970 ms of the fake clock.
        random: () => 0.99,
      },
    )
    await agent.start()
    // Subscribed once its join hey_there (after the jitter, on the fake clock) is out.
    await vi.waitFor(
      () => {
        clock.advance(1000)
        expect(heyTheres.has('responder')).toBe(true)
      },
      { timeout: 20_000, interval: 100 },
    )
    // The peers speak once (a signed social event), so the responder has seen them with standing.
    for (const p of peers) {
      await p.publishSocial({ type: 'tease', actor: p.identity.name, target: 'x', reason: 'hi' })
    }
    const withStanding = () =>
      peers.filter((p) => agent.neighbourhood()?.get(p.identity.name)?.standingSinceMs)
    await vi.waitFor(() => expect(withStanding()).toHaveLength(10), { timeout: 20_000 })
    clock.advance(1000)
  }, 60_000)

  afterAll(async () => {
    await agent?.stop()
    await Promise.all(plazas.map((p) => p.stop()))
    await broker?.close()
  })

  /** A newcomer says hey_there; `howdys` answer it; then the responder's delay runs out. */
  const newcomerJoins = async (newcomer: string, howdys: readonly Plaza[]) => {
    const n = await plaza(newcomer)
    await n.sayHeyThere()
    await expect
      .poll(() => agent.neighbourhood()?.get(newcomer)?.state, { timeout: 20_000 })
      .toBe('ONLINE')
    const before = howdysIn()
    for (const [i, p] of howdys.entries()) {
      await p.publishHowdy({
        to: newcomer,
        seq: i + 1,
        you: {},
        neighbors: null,
        me: status(p.identity.publicKeyBase64),
      })
    }
    await expect.poll(howdysIn, { timeout: 20_000 }).toBe(before + howdys.length)
    clock.advance(3000)
  }
  const answersTo = (to: string) => seen.filter((h) => h.To === to && h.From === 'responder')

  it('10 throwaway-key howdys do not silence a responder (control vs attacked join)', async () => {
    await newcomerJoins('newbie-standing', peers)
    const throwaway = await Promise.all(
      Array.from({ length: 10 }, (_, i) => plaza(`throwaway${i}`)),
    )
    await newcomerJoins('newbie-attacked', throwaway)
    await newcomerJoins('newbie-control', [])
    // The responder publishes in order: once the control answer is here, the others would be too.
    await expect.poll(() => answersTo('newbie-control'), { timeout: 20_000 }).toHaveLength(1)
    expect(answersTo('newbie-standing')).toHaveLength(0)
    expect(answersTo('newbie-attacked')).toHaveLength(1)
    expect(answersTo('newbie-attacked')[0]?.Seq).toBe(1)
  }, 90_000)
})
