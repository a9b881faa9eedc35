import { freePort, type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { spawnAgent } from '../helpers/agent-process.js'
import { logLines } from '../helpers/log-lines.js'

/**
 * The stop of a nara that never reached the plaza: the log says no chau went out and why,
 * never "said chau" (a real agent process, a real broker refusing it or none at all).
 */
describe('the chau log tells what happened', () => {
  let broker: MosquittoBroker

  beforeAll(async () => {
    broker = await startMosquitto({ username: 'nara', password: 'right-password' })
  }, 30_000)
  afterAll(() => broker?.close())

  const stopsWithoutChau = async (brokerUrl: string, env: Record<string, string> = {}) => {
    const agent = await spawnAgent({ brokerUrl, env })
    await vi.waitFor(
      () => {
        if (!logLines(agent.output()).some((l) => l.msg === 'cannot reach the plaza; retrying'))
          throw new Error(`no connect failure logged yet:\n${agent.output().slice(-2000)}`)
      },
      { timeout: 30_000, interval: 100 },
    )
    agent.proc.kill('SIGTERM')
    expect((await agent.exited).code).toBe(0)
    const msgs = logLines(agent.output()).map((l) => l.msg)
    expect(msgs).not.toContain('said chau')
    expect(msgs).toContain('no chau said: never connected to the plaza')
    // The failure itself: once, from the nara's view.
    const failures = logLines(agent.output()).filter((l) => /cannot reach the plaza/.test(l.msg))
    expect(failures).toHaveLength(1)
    expect(failures[0]).toMatchObject({ nara: 'opal', code: expect.any(String) })
    return failures[0]
  }

  it('nothing listening at MQTT_HOST', async () => {
    await stopsWithoutChau(`mqtt://127.0.0.1:${await freePort()}`, { NARA_ID: 'opal' })
  }, 60_000)

  it('credentials refused by the broker', async () => {
    const failure = await stopsWithoutChau(broker.url, {
      NARA_ID: 'opal',
      MQTT_USER: 'nara',
      MQTT_PASS: 'wrong-password',
    })
    expect(JSON.stringify(failure)).not.toContain('wrong-password')
  }, 60_000)
})
