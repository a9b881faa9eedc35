import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnAgent, stopAgent } from '../helpers/agent-process.js'

describe('restart with the same data directory', () => {
  let broker: TestBroker
  beforeAll(async () => {
    broker = await startAedes()
  })
  afterAll(async () => {
    await broker?.close()
  })

  it('keeps the same soul, name and NaraID', async () => {
    const first = await spawnAgent({ brokerUrl: broker.url })
    const me1 = (await first.waitFor((s) => s.me !== null)).me
    const soul1 = JSON.parse(readFileSync(join(first.dataDir, 'identity.json'), 'utf8')).soul
    await stopAgent(first)
    expect((await first.exited).code).toBe(0)

    const second = await spawnAgent({ brokerUrl: broker.url, dataDir: first.dataDir })
    const me2 = (await second.waitFor((s) => s.me !== null)).me
    const soul2 = JSON.parse(readFileSync(join(first.dataDir, 'identity.json'), 'utf8')).soul
    await stopAgent(second)
    expect(me2).toMatchObject({ name: me1.name, naraId: me1.naraId, publicKey: me1.publicKey })
    expect(soul2).toBe(soul1)
  }, 60_000)
})
