/**
 * Measured row: 1,000 hey_theres from 1,000 fresh throwaway names in 30 s, at 3 honest naras.
 * The plaza must not amplify: the howdy bytes on the broker stay <= 2x the attack's own bytes;
 * each agent's resident memory grows <= 50 MB (peak); the honest naras stay ONLINE to each other.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { stateOf } from '../helpers/agent-process.js'
import { attacker, nowNs } from './attacker.js'
import { type HonestNaras, MB, memoryWatch, startHonestNaras } from './honest-naras.js'
import { publishPacket, rawCounter, rawPublisher } from './raw-mqtt.js'

const SYBILS = 1000
const SECONDS = 30

describe('adversary: 1,000 sybil hey_theres in 30 s', () => {
  let naras: HonestNaras
  beforeAll(async () => {
    naras = await startHonestNaras(3, { NARA_NEWSPAPER_PERIOD_S: '5', NARA_MISSING_AFTER_S: '20' })
  }, 120_000)
  afterAll(async () => {
    await naras?.stop()
  })

  it('howdy bytes <= 2x the attack bytes, RSS growth <= 50 MB per agent, honest naras ONLINE', async () => {
    const packets = Array.from({ length: SYBILS }, (_, i) => {
      const payload = attacker(`sybil-${i}`).heyThere(nowNs())
      return { payload, packet: publishPacket('nara/plaza/hey_there', payload) }
    })
    const attackBytes = packets.reduce((sum, p) => sum + p.payload.length, 0)
    const howdys = await rawCounter(naras.broker.url, 'nara/plaza/howdy')
    const memory = naras.agents.map((a) => memoryWatch(a.proc.pid as number))
    const base = memory.map((m) => m.start())
    const pub = await rawPublisher(naras.broker.url, 'sybil-driver')
    const started = performance.now()
    for (let i = 0; i < SYBILS; i++) {
      const due = started + (i * SECONDS * 1000) / SYBILS
      const wait = due - performance.now()
      if (wait > 0) await new Promise((r) => setTimeout(r, wait))
      await pub.write((packets[i] as { packet: Buffer }).packet)
    }
    const attackSeconds = (performance.now() - started) / 1000
    await pub.close()
    // Every howdy answering the last hey_there is out within the howdy delay (1 s here).
    await new Promise((r) => setTimeout(r, 5000))
    const out = howdys.total('nara/plaza/howdy')
    howdys.close()
    const growth = memory.map((m) => m.growth())
    const after = await Promise.all(naras.agents.map((a) => a.status()))
    const table = after.map((s) => s.neighbourhood.length)
    console.log(
      `sybil row: ${SYBILS} hey_theres (${attackBytes} B) in ${attackSeconds.toFixed(1)} s; ` +
        `howdys on the broker ${out.messages} (${out.bytes} B, ${(out.bytes / attackBytes).toFixed(2)}x); ` +
        `RSS before ${base.map((b) => Math.round(b / MB)).join('/')} MB, peak growth ${growth.map((g) => (g / MB).toFixed(1)).join('/')} MB; ` +
        `neighbour tables ${table.join('/')}`,
    )
    expect(out.bytes).toBeLessThanOrEqual(2 * attackBytes)
    for (const g of growth) expect(g).toBeLessThanOrEqual(50 * MB)
    after.forEach((s, i) => {
      for (const n of naras.names)
        if (i !== naras.names.indexOf(n)) expect(stateOf(s, n)).toBe('ONLINE')
    })
    expect(naras.agents.every((a) => a.alive())).toBe(true)
  }, 180_000)
})
