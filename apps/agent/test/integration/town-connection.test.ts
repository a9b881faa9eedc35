import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type AgentProcess, spawnAgent, stopAgent } from '../helpers/agent-process.js'

/**
 * A town process shares one MQTT connection among its naras by default; `per-nara` gives each
 * its own. Either way the town and a nara in another process see each other ONLINE.
 */
describe.each([
  { connection: 'shared', sockets: 1 },
  { connection: 'per-nara', sockets: 3 },
])(
  'a town of 3 with NARA_TOWN_CONNECTION=$connection, and one more nara, on mosquitto',
  ({ connection }) => {
    let broker: MosquittoBroker
    let town: AgentProcess
    let single: AgentProcess

    beforeAll(async () => {
      broker = await startMosquitto()
      town = await spawnAgent({
        brokerUrl: broker.url,
        env: { NARA_MODE: 'town', NARA_TOWN_SIZE: '3', NARA_TOWN_CONNECTION: connection },
      })
      single = await spawnAgent({ brokerUrl: broker.url })
    }, 60_000)

    afterAll(async () => {
      await Promise.all([town, single].filter(Boolean).map((a) => stopAgent(a)))
      await broker?.close()
    })

    it('every nara sees the 3 others ONLINE', async () => {
      const status = await town.waitFor((s) => s.town?.summary?.minOnlineSeen === 3)
      expect(status.town.summary.naras).toBe(3)
      await single.waitFor((s) => s.counts?.ONLINE === 3)
      const shared = status.town.shared.sharedConnection
      if (connection === 'shared') {
        // One socket for the town: one connect, three members, each message received once.
        expect(shared).toMatchObject({ connected: true, members: 3, attempts: 1, connects: 1 })
        expect(shared.deliveries).toBeGreaterThan(shared.received)
      } else {
        expect(shared).toBeUndefined()
      }
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
  },
)
