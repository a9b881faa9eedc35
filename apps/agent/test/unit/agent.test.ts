import { afterEach, describe, expect, it } from 'vitest'
import type { Agent } from '../../src/agent.js'
import type { HowdyDraft } from '../../src/plaza-port.js'
import { fakeAgentParts } from '../helpers/fake-agent.js'
import type { fakeClock } from '../helpers/fake-clock.js'
import { type FakePlaza, fakePlaza } from '../helpers/fake-plaza.js'

const GO_STATUS_ORDER = [
  'LicensePlate',
  'Flair',
  'HostStats',
  'Chattiness',
  'Buzz',
  'Observations',
  'Trend',
  'TrendEmoji',
  'Personality',
  'Aura',
  'Version',
  'PublicUrl',
  'PublicKey',
  'ID',
  'MeshEnabled',
  'MeshIP',
  'transport_mode',
]

const NOW_NS = (ms: number) => BigInt(ms) * 1_000_000n

const setup = fakeAgentParts

async function started(agent: Agent, plaza: FakePlaza, clock: ReturnType<typeof fakeClock>) {
  await agent.start()
  expect(plaza.calls.map((c) => c.method)).toEqual(['start'])
  clock.advance(1000)
}

let running: Agent | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

describe('agent', () => {
  it('joins: plaza start (subscriptions), then a jittered hey_there, then the first newspaper', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    expect(plaza.calls.map((c) => c.method).slice(0, 3)).toEqual([
      'start',
      'sayHeyThere',
      'publishNewspaper',
    ])
  })

  it("starts its services on the plaza's jittered join hey_there, never on one of its own", async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    expect(plaza.joinJitterMaxMs).toBe(0)
    await agent.start()
    // The agent asked for its configured jitter; the (fake) plaza waits 0.5 x 1000 ms.
    expect(plaza.joinJitterMaxMs).toBe(1000)
    await plaza.sayHeyThere()
    clock.advance(499)
    expect(plaza.calls.map((c) => c.method)).toEqual(['start', 'sayHeyThere'])
    clock.advance(1)
    expect(plaza.calls.map((c) => c.method)).toEqual([
      'start',
      'sayHeyThere',
      'sayHeyThere',
      'publishNewspaper',
    ])
    // A reconnect: a new join hey_there after the jitter, the services keep their own pace.
    plaza.emit('disconnected', { reason: 'connection reset' })
    plaza.emit('subscribed', {})
    clock.advance(500)
    expect(plaza.calls.filter((c) => c.method === 'sayHeyThere').at(-1)).toEqual({
      method: 'sayHeyThere',
      arg: { join: true },
    })
    expect(plaza.calls.filter((c) => c.method === 'publishNewspaper')).toHaveLength(1)
  })

  it('publishes a slim newspaper in Go field order, then one per chattiness period', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    const first = plaza.calls.find((c) => c.method === 'publishNewspaper')?.arg as Record<
      string,
      unknown
    >
    expect(Object.keys(first)).toEqual(GO_STATUS_ORDER)
    expect(first.Observations).toBeNull()
    expect(first.Version).toBe('0.2.0-ts')
    expect(first.Chattiness).toBe(100)
    clock.advance(90_000)
    expect(plaza.calls.filter((c) => c.method === 'publishNewspaper')).toHaveLength(4)
  })

  it('answers a foreign hey_there with a howdy whose Me.Observations is an object', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    plaza.emit('newspaper', {
      from: 'carol',
      status: { Version: '0.2.0-ts', PublicKey: 'CK', ID: 'CID' } as never,
    })
    plaza.emit('hey_there', {
      message: {
        id: 'x',
        ts: NOW_NS(clock.now()),
        svc: 'hey-there',
        emitter: 'bob',
        sig: 's',
        hey_there: { From: 'bob', PublicKey: 'BK', MeshIP: '', ID: 'BID', Signature: '' },
      } as never,
    })
    clock.advance(3000)
    const howdy = plaza.calls.find((c) => c.method === 'publishHowdy')?.arg as HowdyDraft
    expect(howdy).toMatchObject({ To: 'bob', Seq: 1 })
    expect(howdy.You.online).toBe('ONLINE')
    expect(howdy.Me.Observations).toEqual(
      expect.objectContaining({ bob: expect.any(Object), carol: expect.any(Object) }),
    )
    expect(howdy.Neighbors?.map((n) => n.Name)).toEqual(['carol'])
    expect(agent.neighbourhood()?.get('bob')).toMatchObject({ state: 'ONLINE', naraId: 'BID' })
  })

  it('sends Observations {} (never null) in a howdy when it knows nobody else', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    plaza.emit('hey_there', {
      message: {
        id: 'x',
        ts: NOW_NS(clock.now()),
        svc: 'hey-there',
        emitter: 'bob',
        sig: 's',
        hey_there: { From: 'bob', PublicKey: 'BK', MeshIP: '', ID: 'BID', Signature: '' },
      } as never,
    })
    clock.advance(3000)
    const howdy = plaza.calls.find((c) => c.method === 'publishHowdy')?.arg as HowdyDraft
    expect(howdy.Neighbors).toBeNull()
    expect(howdy.Me.Observations).not.toBeNull()
    expect(typeof howdy.Me.Observations).toBe('object')
  })

  it('marks a nara OFFLINE on its chau and counts drops and key conflicts for /status', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    plaza.emit('newspaper', { from: 'bob', status: { Version: '0.2.0-ts' } as never })
    plaza.emit('chau', {
      message: {
        id: 'y',
        ts: NOW_NS(clock.now()),
        svc: 'chau',
        chau: { From: 'bob', PublicKey: 'BK', ID: 'BID', Signature: '' },
      } as never,
    })
    plaza.emit('drop', { reason: 'bad-signature', topic: 'nara/plaza/howdy' })
    plaza.emit('drop', { reason: 'malformed', topic: 'nara/plaza/chau' })
    plaza.emit('key-conflict', { name: 'bob', topic: 'nara/newspaper/bob' })
    const status = agent.status() as {
      neighbourhood: Array<{ name: string; state: string }>
      drops: Record<string, number>
      keyConflicts: { total: number }
    }
    expect(status.neighbourhood).toEqual([
      expect.objectContaining({ name: 'bob', state: 'OFFLINE' }),
    ])
    expect(status.drops).toEqual({ 'bad-signature': 1, malformed: 1 })
    expect(status.keyConflicts.total).toBe(1)
  })

  it('says chau, then disconnects, on stop', async () => {
    const { clock, plaza, agent } = setup()
    await started(agent, plaza, clock)
    await agent.stop()
    const methods = plaza.calls.map((c) => c.method)
    expect(methods.slice(-2)).toEqual(['sayChau', 'stop'])
    await agent.stop()
    expect(plaza.calls.filter((c) => c.method === 'sayChau')).toHaveLength(1)
  })

  it('an abort of its signal stops it as stop() does: chau, then disconnect', async () => {
    const controller = new AbortController()
    const { clock, plaza, agent } = setup({}, { signal: controller.signal })
    await started(agent, plaza, clock)
    controller.abort()
    await expect.poll(() => plaza.calls.map((c) => c.method).slice(-2)).toEqual(['sayChau', 'stop'])
    await agent.stop()
    expect(plaza.calls.filter((c) => c.method === 'sayChau')).toHaveLength(1)
  })

  it('counts drops by reason and by the plaza rule that fired (stale howdys before our join)', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    const stale = {
      reason: 'stale',
      topic: 'nara/plaza/howdy',
      kind: 'howdy',
      detail: 'no recent hey_there from To',
    }
    plaza.emit('drop', stale)
    plaza.emit('drop', stale)
    plaza.emit('drop', { reason: 'bad-signature', topic: 'nara/plaza/chau', kind: 'chau' })
    const status = agent.status() as {
      drops: Record<string, number>
      dropDetails: Record<string, number>
    }
    expect(status.drops).toEqual({ stale: 2, 'bad-signature': 1 })
    expect(status.dropDetails).toEqual({
      'stale howdy: no recent hey_there from To': 2,
      'bad-signature chau': 1,
    })
  })

  it('a topic-only newspaper counts as presence but binds no NaraID', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    plaza.emit('newspaper', {
      from: 'dora',
      status: { Version: '0.2.0-ts', PublicKey: 'DK', ID: 'CLAIMED' } as never,
      nameProof: 'topic',
      senderId: undefined,
    })
    const erinStatus = { Version: '0.2.0-ts', PublicKey: 'EK', ID: 'EID' }
    plaza.emit('newspaper', {
      from: 'erin',
      status: erinStatus as never,
      nameProof: 'signature',
      senderId: 'EID',
    })
    expect(agent.neighbourhood()?.get('dora')).toMatchObject({ state: 'ONLINE', naraId: undefined })
    expect(agent.neighbourhood()?.get('erin')).toMatchObject({ state: 'ONLINE', naraId: 'EID' })
    // The status is kept as delivered, not copied (a town's naras share the decoded object).
    expect(agent.neighbourhood()?.get('erin')?.status).toBe(erinStatus)
  })

  it('a deliberate stop is not reported as a lost plaza and starts no reconnect', async () => {
    const logs: string[] = []
    const { clock, plaza, agent } = setup({}, { logs })
    await started(agent, plaza, clock)
    const stopPlaza = plaza.stop
    // The real plaza reports its own DISCONNECT as a 'disconnected' event.
    plaza.stop = () => {
      plaza.emit('disconnected', {})
      return stopPlaza()
    }
    await agent.stop()
    clock.advance(120_000)
    expect(logs.join('')).not.toContain('lost the plaza')
    expect(plaza.calls.filter((c) => c.method === 'start')).toHaveLength(1)
    expect(plaza.calls.map((c) => c.method).slice(-2)).toEqual(['sayChau', 'stop'])
    expect((agent.status().me as { connected: boolean }).connected).toBe(false)
  })

  it('a lost connection (not a stop) is still reported', async () => {
    const logs: string[] = []
    const { clock, plaza, agent } = setup({}, { logs })
    running = agent
    await started(agent, plaza, clock)
    plaza.emit('disconnected', { reason: 'connection reset' })
    expect(logs.join('')).toContain('lost the plaza; retrying')
  })

  it('stop completes when the chau never goes out (a socket that never drains)', async () => {
    const { clock, plaza, agent } = setup()
    await started(agent, plaza, clock)
    plaza.sayChau = () => new Promise<boolean>(() => undefined)
    let done = false
    const stopping = agent.stop().then(() => {
      done = true
    })
    for (let i = 0; i < 5; i++) await Promise.resolve()
    expect(done).toBe(false)
    // The disconnect went out next to the chau, not after it.
    expect(plaza.calls.map((c) => c.method)).toContain('stop')
    clock.advance(3000)
    await stopping
    expect(done).toBe(true)
  })

  it('a stop during start never connects the plaza', async () => {
    let release: ((p: FakePlaza) => void) | undefined
    const late = fakePlaza()
    const { agent } = setup({}, { createPlaza: () => new Promise((r) => (release = r)) })
    const starting = agent.start()
    // Stop while the plaza is being created (identity already loaded).
    while (!release) await new Promise((r) => setImmediate(r))
    const stopping = agent.stop()
    release(late)
    await starting
    await stopping
    expect(late.calls.map((c) => c.method)).not.toContain('start')
    expect(late.calls.map((c) => c.method)).toContain('stop')
  })

  it('records a final by the voters the plaza verified, never re-checking its signatures', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    const final = (id: string, voters: string[]) =>
      plaza.emit('checkpoint_final', {
        message: {
          id,
          ts: NOW_NS(clock.now()),
          svc: 'checkpoint',
          checkpoint: {
            version: 2,
            subject: 'bob',
            subject_id: 'BID',
            observation: { restarts: 1, total_uptime: 50, start_time: 1 },
            as_of_time: Math.floor(clock.now() / 1000),
            round: 1,
            voter_ids: ['v1', 'v2', 'v3', 'v4', 'v5'],
            signatures: ['s1', 's2', 's3', 's4', 's5'],
          },
        },
        voters,
      })
    final('too-few', ['v1', 'v2'])
    final('enough', ['v1', 'v2', 'v3'])
    expect(agent.status().checkpoints).toMatchObject({
      finalsRejected: 1,
      finalsAccepted: 1,
      latest: { bob: 'enough' },
    })
    expect(agent.status().messages.in.checkpoint_final).toBe(2)
  })

  it('re-announces for Go naras only while one is ONLINE', async () => {
    const { clock, plaza, agent } = setup()
    running = agent
    await started(agent, plaza, clock)
    const heyTheres = () => plaza.calls.filter((c) => c.method === 'sayHeyThere').length
    clock.advance(600_000)
    expect(heyTheres()).toBe(1)
    for (let i = 0; i < 4; i++) {
      plaza.emit('newspaper', { from: 'gopher', status: { Version: '0.2.0' } as never })
      clock.advance(150_000)
    }
    expect(heyTheres()).toBeGreaterThanOrEqual(3)
  })
})
