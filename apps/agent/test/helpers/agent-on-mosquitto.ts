/**
 * One agent process (a nara or a town, by its environment) against a mosquitto of its own, for
 * the tests of one `describe` block: both started before them, both stopped after them.
 */
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from './agent-process.js'

export interface AgentOnMosquitto {
  /** Set before the block's tests run. */
  broker: MosquittoBroker
  /** Set before the block's tests run. */
  agent: AgentProcess
}

/** Registers the start (`beforeAll`) and the stop (`afterAll`) of an agent with `env`. */
export function agentOnMosquitto(env: Record<string, string>): AgentOnMosquitto {
  const run = {} as AgentOnMosquitto
  beforeAll(async () => {
    run.broker = await startMosquitto()
    run.agent = await spawnAgent({ brokerUrl: run.broker.url, env })
  }, 60_000)
  afterAll(async () => {
    await stopAgent(run.agent)
    await run.broker?.close()
  })
  return run
}
