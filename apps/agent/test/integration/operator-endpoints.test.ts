import { describe, expect, it, vi } from 'vitest'
import { agentOnMosquitto } from '../helpers/agent-on-mosquitto.js'
import type { AgentProcess } from '../helpers/agent-process.js'
import { logLines } from '../helpers/log-lines.js'

/** One value of the Prometheus text: the first sample line matching `name` and `labels`. */
function sample(text: string, name: string, labels = ''): number | undefined {
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue
    const [series, value] = line.split(' ')
    if (series === undefined || (!series.startsWith(`${name}{`) && series !== name)) continue
    if (labels !== '' && !series.includes(labels)) continue
    return Number(value)
  }
  return undefined
}

async function get(a: AgentProcess, path: string) {
  const res = await fetch(`http://127.0.0.1:${a.httpPort}${path}`)
  return { status: res.status, text: await res.text() }
}

/**
 * What an operator scrapes and probes, on a real agent process against a real mosquitto:
 * `/metrics` (verify timings, the connected gauge, process metrics, build info) and `/healthz`,
 * through a broker outage.
 */
describe('operator endpoints of one nara on mosquitto', () => {
  const opal = agentOnMosquitto({ NARA_ID: 'opal', NARA_LOG_LEVEL: 'debug' })

  it('exports verify timings, nara_connected, process metrics and build info', async () => {
    const { agent } = opal
    // Its own newspapers come back through the pipeline: each is verified once.
    await expect
      .poll(async () => sample((await get(agent, '/metrics')).text, 'nara_verify_seconds_count'), {
        timeout: 30_000,
        interval: 200,
      })
      .toBeGreaterThan(0)
    const { text } = await get(agent, '/metrics')
    expect(sample(text, 'nara_connected', 'nara="opal"')).toBe(1)
    expect(sample(text, 'process_cpu_user_seconds_total')).toBeGreaterThan(0)
    expect(sample(text, 'process_start_time_seconds')).toBeGreaterThan(0)
    expect(sample(text, 'nodejs_eventloop_lag_seconds')).toBeGreaterThanOrEqual(0)
    expect(text).toMatch(/^nara_build_info\{version="\d+\.\d+\.\d+",node="[\d.]+"\} 1$/m)
    // Each name once: the nara's registry and the process's do not overlap.
    const types = text.split('\n').filter((l) => l.startsWith('# TYPE '))
    expect(new Set(types).size).toBe(types.length)
  }, 60_000)

  it('/healthz is 200 while connected, 503 as soon as the broker is gone, 200 once back', async () => {
    const { agent, broker } = opal
    await expect
      .poll(async () => (await get(agent, '/healthz')).status, { timeout: 30_000 })
      .toBe(200)
    expect(JSON.parse((await get(agent, '/healthz')).text)).toMatchObject({
      ok: true,
      connected: true,
      inboundAlive: true,
    })
    await broker.stop()
    // Bounded like the other waits here (expect.poll's own default is 1 s, short for a process
    // on a loaded machine to see its broker go and answer).
    await expect
      .poll(async () => (await get(agent, '/healthz')).status, { timeout: 30_000 })
      .toBe(503)
    expect(JSON.parse((await get(agent, '/healthz')).text)).toMatchObject({
      ok: false,
      connected: false,
    })
    expect(sample((await get(agent, '/metrics')).text, 'nara_connected')).toBe(0)
    await broker.restart()
    // The plaza's reconnect loop waits 5-35 s before its next attempt.
    await expect
      .poll(async () => (await get(agent, '/healthz')).status, { timeout: 60_000, interval: 250 })
      .toBe(200)
    expect(sample((await get(agent, '/metrics')).text, 'nara_connected')).toBe(1)
    // The outage is logged once per change (lost, back); the retries in between only at debug.
    // The log line may reach us after /healthz answers: wait for it.
    const lines = await vi.waitFor(
      () => {
        const all = logLines(agent.output())
        const lost = all.findIndex((l) => l.msg === 'lost the plaza; retrying')
        if (lost < 0 || !all.slice(lost).some((l) => l.msg === 'connected to the plaza'))
          throw new Error('the reconnect is not logged yet')
        return all
      },
      { timeout: 30_000 },
    )
    const outage = lines.slice(lines.findIndex((l) => l.msg === 'lost the plaza; retrying'))
    const connection = /plaza|connect/
    expect(outage.filter((l) => l.level >= 30 && connection.test(l.msg)).map((l) => l.msg)).toEqual(
      ['lost the plaza; retrying', 'connected to the plaza'],
    )
    expect(outage.filter((l) => l.msg === 'plaza reconnect scheduled').length).toBeGreaterThan(0)
    expect(outage.filter((l) => l.level >= 30).every((l) => l.nara === 'opal')).toBe(true)
  }, 90_000)
})

describe('operator endpoints of a town of 2 on mosquitto', () => {
  const townOfTwo = agentOnMosquitto({ NARA_MODE: 'town', NARA_TOWN_SIZE: '2' })

  it('the town reports its receiver once: verify timings and process metrics without a nara label', async () => {
    const town = townOfTwo.agent
    await expect
      .poll(async () => (await get(town, '/healthz')).status, { timeout: 30_000, interval: 200 })
      .toBe(200)
    await expect
      .poll(async () => sample((await get(town, '/metrics')).text, 'nara_verify_seconds_count'), {
        timeout: 30_000,
        interval: 200,
      })
      .toBeGreaterThan(0)
    const { text } = await get(town, '/metrics')
    expect(text).not.toMatch(/^nara_verify_seconds_count\{.*nara=/m)
    expect(text.match(/^process_cpu_user_seconds_total /gm)).toHaveLength(1)
    expect(text.match(/^nara_build_info\{/gm)).toHaveLength(1)
    expect(text.match(/^nara_connected\{nara="[^"]+"\} 1$/gm)).toHaveLength(2)
  }, 60_000)
})
