import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'

/**
 * A town process is one plaza receiver (one MQTT connection, every message verified once) and
 * one speaker per nara. The town and a nara in another process see each other ONLINE.
 */
describe('a town of 3 (one receiver, three speakers), and one more nara, on mosquitto', () => {
  let broker: MosquittoBroker
  let town: AgentProcess
  let single: AgentProcess

  beforeAll(async () => {
    broker = await startMosquitto()
    town = await spawnAgent({
      brokerUrl: broker.url,
      env: { NARA_MODE: 'town', NARA_TOWN_SIZE: '3' },
    })
    single = await spawnAgent({ brokerUrl: broker.url })
  }, 60_000)

  afterAll(async () => {
    await Promise.all([town, single].filter(Boolean).map((a) => stopAgent(a)))
    await broker?.close()
  })

  it('every nara sees the 3 others ONLINE; one connection, one signature check per message', async () => {
    const status = await town.waitFor((s) => s.town?.summary?.minOnlineSeen === 3)
    expect(status.town.summary.naras).toBe(3)
    await single.waitFor((s) => s.counts?.ONLINE === 3)
    const receiver = status.town.summary.receiver
    expect(receiver).toMatchObject({ connected: true, counters: { connects: 1 } })
    const received = Object.values(receiver.counters.received as Record<string, number>)
    const total = received.reduce((x, y) => x + y, 0)
    expect(total).toBeGreaterThan(0)
    // Each message reaches the process once and is checked at most once, for all 3 naras.
    expect(receiver.counters.verifications).toBeLessThanOrEqual(total)
  }, 60_000)

  it('SIGTERM: every town nara says chau, the other nara marks them OFFLINE, exit 0', async () => {
    const names = ((await town.status()).naras as Array<{ me: { name: string } }>).map(
      (n) => n.me.name,
    )
    expect(names).toHaveLength(3)
    town.proc.kill('SIGTERM')
    expect((await town.exited).code).toBe(0)
    expect(town.output().match(/"msg":"said chau"/g)).toHaveLength(3)
    await single.waitFor((s) => s.counts?.OFFLINE === 3)
  }, 60_000)
})
