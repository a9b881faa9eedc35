import { verifyNewspaperStatus, verifySyncEvent } from '@nara/crypto/wire'
import type { Plaza, PlazaEvent } from '@nara/plaza'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'
import { startObserver } from '../helpers/observer.js'

describe('one agent against a local mosquitto at chattiness 100', () => {
  let broker: MosquittoBroker
  let agent: AgentProcess | undefined
  let observer: Plaza
  const seen: PlazaEvent[] = []

  beforeAll(async () => {
    broker = await startMosquitto()
    observer = await startObserver(broker.url, 'go-rules-watcher')
    observer.on('hey_there', (ev) => seen.push(ev))
    observer.on('newspaper', (ev) => seen.push(ev))
    observer.on('chau', (ev) => seen.push(ev))
  })
  afterAll(async () => {
    await stopAgent(agent)
    await observer?.stop()
    await broker?.close()
  })

  it('sends a hey_there and a newspaper whose bytes verify with the Go rules, and a chau on SIGTERM', async () => {
    // Default join jitter (0-5 s), as on the real plaza; no test knobs but the broker.
    agent = await spawnAgent({
      brokerUrl: broker.url,
      env: { NARA_JOIN_JITTER_MAX_MS: '5000', NARA_NEWSPAPER_PERIOD_S: '', NARA_CHATTINESS: '100' },
    })
    const me = (await agent.waitFor((s) => s.me !== null)).me
    const mine = () => seen.filter((e) => e.sender === me.name)
    // The default bound: the join hey_there alone may wait up to 5 s (the jitter) after the
    // connect, and a loaded machine adds its own delays.
    await agent.waitFor(
      () =>
        mine().some((e) => e.kind === 'newspaper') && mine().some((e) => e.kind === 'hey_there'),
    )
    const ht = mine().find((e) => e.kind === 'hey_there') as PlazaEvent<'hey_there'>
    const np = mine().find((e) => e.kind === 'newspaper') as PlazaEvent<'newspaper'>
    const key = Buffer.from(me.publicKey, 'base64')
    expect(verifySyncEvent(ht.message as never, key)).toBe(true)
    expect(ht.message.hey_there.ID).toBe(me.naraId)
    expect(np.message.envelope.Signature).toHaveLength(88)
    expect(verifyNewspaperStatus(np.message.statusBytes, np.message.envelope.Signature, key)).toBe(
      true,
    )
    const statusText = Buffer.from(np.message.statusBytes).toString('utf8')
    expect(statusText.startsWith('{"LicensePlate":"","Flair":')).toBe(true)
    expect(statusText).toContain('"Observations":null')
    expect(np.message.envelope.Status.Chattiness).toBe(100)

    agent.proc.kill('SIGTERM')
    expect((await agent.exited).code).toBe(0)
    // Published before the exit; it reaches the observer through the broker some time after.
    await expect.poll(() => mine().some((e) => e.kind === 'chau'), { timeout: 20_000 }).toBe(true)
    const chau = mine().find((e) => e.kind === 'chau') as PlazaEvent<'chau'>
    expect(verifySyncEvent(chau.message as never, key)).toBe(true)
  }, 90_000)
})
