/**
 * Measured row: one name floods 10,000 msg/s of junk plus 10,000 msg/s of validly signed
 * messages for 60 s at 3 honest naras (newspaper every 5 s, MISSING after 20 s silence). At
 * least 99 % of the honest newspapers must be delivered verified, and no honest nara may go
 * MISSING (or count a restart) at any other.
 *
 * The 3 naras are one town process (one receiver, one connection): on a 2-core machine, 3
 * separate agents make mosquitto write every flood message 3 times, and the broker, not the
 * naras, becomes the limit (measured 2026-12-04 05:30 UTC: mosquitto 36 s of CPU in 60 s, the
 * driver held back to 7,425 + 7,119 msg/s, still 100 % delivered). Each town nara keeps its own
 * presence view; the inbound pipeline under test is the same one a single agent runs.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { StatusDoc } from '../helpers/agent-process.js'
import { counter, type HonestNaras, startHonestTown } from './honest-naras.js'

const SECONDS = 60
const RATE = 10_000
const PUBLISHER = fileURLToPath(new URL('./flood-publisher.ts', import.meta.url))

/** Starts the flood driver; resolves once it has pre-signed its messages. */
async function floodDriver(config: object) {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', PUBLISHER, JSON.stringify(config)],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  )
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream })
  const next = () => new Promise<string>((resolve) => lines.once('line', resolve))
  const ready = await next()
  if (ready !== 'ready') throw new Error(`flood driver said ${ready}`)
  return {
    go: async () => {
      const done = next()
      child.stdin?.write('go\n')
      return JSON.parse(await done) as { junkSent: number; signedSent: number; seconds: number }
    },
    kill: () => child.kill(),
  }
}

const statuses = (n: HonestNaras) => n.statuses()

/** Messages each honest nara verified from the other honest naras (every kind), summed. */
const verifiedFromHonest = (s: readonly StatusDoc[], names: readonly string[]) =>
  s.reduce(
    (sum, d) =>
      sum +
      d.neighbourhood
        .filter((r: StatusDoc) => names.includes(r.name) && r.name !== d.me.name)
        .reduce((n: number, r: StatusDoc) => n + r.verified, 0),
    0,
  )
const sentAll = (s: readonly StatusDoc[]) =>
  s.reduce(
    (sum, d) =>
      sum + Object.values(d.messages.out as Record<string, number>).reduce((a, b) => a + b, 0),
    0,
  )
/** What each honest nara counts as the other honest naras' restarts. */
const restarts = (s: readonly StatusDoc[], names: readonly string[]) =>
  s.flatMap((d) =>
    d.neighbourhood
      .filter((r: StatusDoc) => names.includes(r.name))
      .map((r: StatusDoc) => `${d.me.name}>${r.name}:${r.restarts}`),
  )

describe('adversary: a flood from one name (10,000 junk + 10,000 signed msg/s, 60 s)', () => {
  let naras: HonestNaras
  beforeAll(async () => {
    naras = await startHonestTown(3, {
      NARA_NEWSPAPER_PERIOD_S: '5',
      NARA_MISSING_AFTER_S: '20',
    })
  }, 120_000)
  afterAll(async () => {
    await naras?.stop()
  })

  it('delivers >= 99 % of the honest newspapers verified, and no honest nara goes MISSING', async () => {
    const driver = await floodDriver({
      url: naras.broker.url,
      name: 'flooder',
      seconds: SECONDS,
      junkPerSecond: RATE,
      signedPerSecond: RATE,
      signedPool: 20_000,
      targets: naras.names,
    })
    // The flooder's hey_there went out with `ready`: let the howdys answering it pass first.
    await new Promise((r) => setTimeout(r, 3000))
    const before = await statuses(naras)
    const missing: string[] = []
    let flooding = true
    const watch = (async () => {
      while (flooding) {
        const seen = await naras.statuses().catch(() => [] as StatusDoc[])
        for (const d of seen) {
          for (const n of naras.names) {
            const row = d.neighbourhood.find((r: StatusDoc) => r.name === n)
            if (n !== d.me.name && row?.state !== 'ONLINE') {
              missing.push(`${d.me.name} saw ${n} ${row?.state}`)
            }
          }
        }
        await new Promise((r) => setTimeout(r, 1000))
      }
    })()
    const sent = await driver.go()
    flooding = false
    await watch
    const atEnd = await statuses(naras)
    // Let the broker and the agents drain, then count what arrived (papers published during the
    // drain are delivered on a quiet plaza: they are taken out again, 2 receivers each).
    await new Promise((r) => setTimeout(r, 5000))
    const after = await statuses(naras)
    // Every honest message (newspapers, and any social) goes to the 2 other honest naras. Those
    // sent during the drain arrive on a quiet plaza: they are taken out again, 2 receivers each.
    const names = naras.names
    const papers = counter(atEnd, 'out', 'newspaper') - counter(before, 'out', 'newspaper')
    const published = sentAll(atEnd) - sentAll(before)
    const drained = sentAll(after) - sentAll(atEnd)
    const arrived = verifiedFromHonest(after, names) - verifiedFromHonest(before, names)
    const delivered = arrived - 2 * drained
    const ratio = delivered / (2 * published)
    const drops = after.map((d) => d.drops)
    console.log(
      `flood row: junk ${Math.round(sent.junkSent / sent.seconds)} msg/s, signed ${Math.round(sent.signedSent / sent.seconds)} msg/s achieved over ${sent.seconds.toFixed(1)} s; ` +
        `honest messages published ${published} (${papers} newspapers), delivered verified ${delivered} of ${2 * published} (${(100 * ratio).toFixed(2)} %); ` +
        `MISSING seen ${missing.length}; drops per agent ${JSON.stringify(drops)}`,
    )
    driver.kill()
    // The row is about these rates: a driver that fell short demonstrated nothing.
    expect(sent.junkSent / sent.seconds).toBeGreaterThanOrEqual(0.95 * RATE)
    expect(sent.signedSent / sent.seconds).toBeGreaterThanOrEqual(0.95 * RATE)
    expect(papers).toBeGreaterThanOrEqual(3 * Math.floor(SECONDS / 5) - 3)
    expect(ratio).toBeGreaterThanOrEqual(0.99)
    expect(missing).toEqual([])
    expect(restarts(after, naras.names)).toEqual(restarts(before, naras.names))
    expect(naras.agents.every((a) => a.alive())).toBe(true)
  }, 240_000)
})
