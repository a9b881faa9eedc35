/**
 * A single nara serves the web page of the plaza at `/` on its status port, prints its URL in the
 * start log, and its page shows the nara itself (seen through the nara's own receiver: the page
 * opens no second connection and verifies nothing twice).
 */
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'

let broker: TestBroker
let agent: AgentProcess

beforeAll(async () => {
  broker = await startAedes()
  agent = await spawnAgent({ brokerUrl: broker.url })
})
afterAll(async () => {
  await stopAgent(agent)
  await broker?.close()
})

describe('the web page of a single nara', () => {
  it('is served at / next to /status, with its URL in the start log, and lists the nara ONLINE', async () => {
    const me = (await agent.waitFor((s) => Boolean(s.me?.name))).me.name as string
    const base = `http://127.0.0.1:${agent.httpPort}/`
    const page = await fetch(base)
    expect(page.status).toBe(200)
    expect(await page.text()).toContain('/app.js')
    await expect
      .poll(() => agent.output(), { timeout: 20_000 })
      .toContain(`"url":"${base}","msg":"web page of the plaza"`)
    await expect
      .poll(
        async () => {
          const snap = (await (await fetch(`${base}api/snapshot`)).json()) as {
            naras: Array<{ name: string; state: string }>
          }
          return snap.naras.find((n) => n.name === me)?.state
        },
        { timeout: 20_000 },
      )
      .toBe('ONLINE')
    expect((await fetch(`${base}status`)).status).toBe(200)
  })
})
