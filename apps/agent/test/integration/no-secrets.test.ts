/**
 * No secret in any output (issue 10, §6): the agent runs against a mosquitto that requires a
 * password, given in `MQTT_HOST`, with a soul, in single and in town mode; the password and the
 * souls appear nowhere in the logs, `/status`, `/metrics`, the web page's snapshot or the error
 * output (a wrong password, a bad `MQTT_HOST` entry, a bad soul).
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { encodeSoul, generateSoul } from '@nara/crypto'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'

const PASSWORD = 'pw-Zq8x-s3cret'
const WRONG_PASSWORD = 'pw-wrong-Kx91'

/** Everything a user can read from a running agent. */
async function everythingShown(a: AgentProcess): Promise<string> {
  const get = async (path: string) => (await fetch(`http://127.0.0.1:${a.httpPort}${path}`)).text()
  const parts = [await get('/status'), await get('/metrics'), await get('/api/snapshot')]
  await stopAgent(a)
  return [...parts, a.output()].join('\n')
}

describe('no secret in any log line, status, metric or error', () => {
  let broker: MosquittoBroker
  let url: string
  const soul = encodeSoul(generateSoul('alice').soul)
  let agent: AgentProcess | undefined

  beforeAll(async () => {
    broker = await startMosquitto({ username: 'nara', password: PASSWORD })
    url = `mqtt://nara:${PASSWORD}@127.0.0.1:${broker.port}`
  })
  afterEach(async () => {
    await stopAgent(agent)
    agent = undefined
  })
  afterAll(async () => {
    await broker?.close()
  })

  it('single mode: the broker shown is the one in use, redacted; no password, no soul', async () => {
    agent = await spawnAgent({
      brokerUrl: `${url},${url.replace('127.0.0.1', 'localhost')}`,
      env: { NARA_SOUL: soul, NARA_ID: 'alice', NARA_LOG_LEVEL: 'debug' },
    })
    const s = await agent.waitFor((st) => st.me?.connected === true, 30_000)
    expect([`mqtt://127.0.0.1:${broker.port}`, `mqtt://localhost:${broker.port}`]).toContain(
      s.me.broker,
    )
    const shown = await everythingShown(agent)
    expect(shown).toContain('connected to the plaza')
    expect(shown).not.toContain(PASSWORD)
    expect(shown).not.toContain(soul)
  }, 60_000)

  it('town mode: town.broker and every nara’s broker redacted; no password, no soul', async () => {
    agent = await spawnAgent({
      brokerUrl: url,
      env: { NARA_MODE: 'town', NARA_TOWN_SIZE: '2', NARA_SOUL: soul, NARA_LOG_LEVEL: 'debug' },
    })
    const s = await agent.waitFor(
      (st) => st.naras?.length === 2 && st.naras.every((n: { me: unknown }) => n.me !== null),
      30_000,
    )
    expect(s.town.broker).toBe(`mqtt://127.0.0.1:${broker.port}`)
    expect(s.town.brokers).toEqual([`mqtt://nara:***@127.0.0.1:${broker.port}`])
    expect(s.town.summary.receiver.brokerUrl).toBe(`mqtt://127.0.0.1:${broker.port}`)
    for (const n of s.naras) expect(n.me.broker).toBe(`mqtt://127.0.0.1:${broker.port}`)
    const souls = [1, 2].map(
      (i) =>
        (
          JSON.parse(
            readFileSync(join(agent!.dataDir, 'town', `nara-${i}`, 'identity.json'), 'utf8'),
          ) as { soul: string }
        ).soul,
    )
    const shown = await everythingShown(agent)
    expect(shown).toContain('town: broker ready')
    expect(shown).toContain(`mqtt://nara:***@127.0.0.1:${broker.port}`)
    for (const secret of [PASSWORD, soul, ...souls]) expect(shown).not.toContain(secret)
  }, 60_000)

  it('error output: a wrong password, a bad MQTT_HOST entry, a bad soul', async () => {
    agent = await spawnAgent({
      brokerUrl: url.replace(PASSWORD, WRONG_PASSWORD),
      env: { NARA_SOUL: soul, NARA_LOG_LEVEL: 'debug' },
    })
    const a = agent
    await expect.poll(() => a.output(), { timeout: 30_000 }).toMatch(/"level":(40|50)/)
    await a.waitFor((st) => st.me !== null && st.me.connected === false, 30_000)
    const refused = await everythingShown(a)
    for (const secret of [WRONG_PASSWORD, soul]) expect(refused).not.toContain(secret)

    const badHost = await spawnAgent({ brokerUrl: `${url},mqtt://nara:${PASSWORD}@` })
    expect((await badHost.exited).code).toBe(2)
    expect(badHost.output()).toContain('MQTT_HOST')
    expect(badHost.output()).not.toContain(PASSWORD)

    const almost = `${soul.slice(0, -2)}0O`
    const badSoul = await spawnAgent({ brokerUrl: url, env: { NARA_SOUL: almost } })
    expect((await badSoul.exited).code).toBe(2)
    expect(badSoul.output()).toContain('NARA_SOUL')
    for (const secret of [almost, PASSWORD]) expect(badSoul.output()).not.toContain(secret)
  }, 90_000)
})
