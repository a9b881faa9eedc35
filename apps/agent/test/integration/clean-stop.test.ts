import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'

describe('stopping an agent process', () => {
  let broker: TestBroker
  const agents: AgentProcess[] = []
  beforeAll(async () => {
    broker = await startAedes()
  })
  afterAll(async () => {
    await Promise.all(agents.map((a) => stopAgent(a)))
    await broker?.close()
  })

  it('SIGHUP (terminal closed) stops like SIGTERM: chau, no "lost the plaza", exit 0', async () => {
    const a = await spawnAgent({ brokerUrl: broker.url })
    agents.push(a)
    await a.waitFor((s) => s.me?.connected === true)
    a.proc.kill('SIGHUP')
    expect((await a.exited).code).toBe(0)
    expect(a.output()).toContain('said chau')
    expect(a.output()).not.toContain('lost the plaza')
    expect(a.output()).toContain('"msg":"stopped"')
  }, 30_000)

  it('a town stops within its deadline: every nara says chau, exit 0', async () => {
    const a = await spawnAgent({
      brokerUrl: broker.url,
      env: { NARA_MODE: 'town', NARA_TOWN_SIZE: '3', NARA_LOG_LEVEL: 'debug' },
    })
    agents.push(a)
    await a.waitFor((s) => s.town?.summary?.minOnlineSeen === 2)
    a.proc.kill('SIGTERM')
    expect((await a.exited).code).toBe(0)
    expect(a.output().match(/"msg":"said chau"/g)).toHaveLength(3)
    expect(a.output()).not.toContain('lost the plaza')
    expect(a.output()).not.toContain('stop deadline reached')
    // Debug mode reports what was still open after the stop (nothing of ours: no sockets).
    const report = a
      .output()
      .split('\n')
      .find((l) => l.includes('stopped; still open before exit'))
    expect(JSON.parse(report ?? '{}').open.sockets).toEqual([])
  }, 60_000)

  it('closed stdout and stderr (EPIPE) neither crash nor stall the agent', async () => {
    const a = await spawnAgent({
      brokerUrl: broker.url,
      env: { NARA_LOG_LEVEL: 'debug' },
    })
    agents.push(a)
    const before = (await a.waitFor((s) => s.me?.connected === true)).me.uptimeS as number
    a.proc.stdout?.destroy()
    a.proc.stderr?.destroy()
    // Debug logging writes several lines a second into the closed pipes meanwhile.
    const after = await a.waitFor((s) => s.me.uptimeS >= before + 3 && s.me.connected === true)
    expect(after.messages.out.newspaper).toBeGreaterThan(0)
    a.proc.kill('SIGTERM')
    expect((await a.exited).code).toBe(0)
  }, 30_000)
})
