import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stateOf, stopAgent } from '../helpers/agent-process.js'

describe('a town of 5 agents on mosquitto', () => {
  let broker: MosquittoBroker
  const agents: AgentProcess[] = []
  const names: string[] = []

  beforeAll(async () => {
    broker = await startMosquitto()
    for (let i = 0; i < 5; i++) agents.push(await spawnAgent({ brokerUrl: broker.url }))
    for (const a of agents) names.push((await a.waitFor((s) => s.me !== null)).me.name)
  }, 60_000)

  afterAll(async () => {
    await Promise.all(agents.map((a) => stopAgent(a)))
    await broker?.close()
  })

  it('all 5 see each other ONLINE', async () => {
    for (const a of agents) {
      await a.waitFor((s) => s.counts.ONLINE === 4)
    }
    const s = await agents[0]!.status()
    expect(s.neighbourhood.map((n: { name: string }) => n.name).sort()).toEqual(
      names.slice(1).sort(),
    )
  }, 60_000)

  it('a nara stopped with SIGTERM says chau, exits 0, and the others mark it OFFLINE', async () => {
    const leaving = agents[0]!
    leaving.proc.kill('SIGTERM')
    const { code } = await leaving.exited
    expect(code).toBe(0)
    expect(leaving.output()).toContain('said chau')
    for (const a of agents.slice(1)) await a.waitFor((s) => stateOf(s, names[0]!) === 'OFFLINE')
  }, 60_000)

  it('a nara killed with SIGKILL is marked MISSING after the configured timeout', async () => {
    const crashed = agents[1]!
    crashed.proc.kill('SIGKILL')
    await crashed.exited
    for (const a of agents.slice(2)) {
      const s = await a.waitFor((st) => stateOf(st, names[1]!) === 'MISSING')
      expect(stateOf(s, names[0]!)).toBe('OFFLINE')
    }
  }, 60_000)
})
