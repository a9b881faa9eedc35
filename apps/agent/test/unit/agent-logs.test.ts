import { Writable } from 'node:stream'
import { afterEach, describe, expect, it } from 'vitest'
import type { Agent } from '../../src/agent.js'
import { createLogger, plazaLogger } from '../../src/logger.js'
import { fakeAgentParts } from '../helpers/fake-agent.js'

/** The log lines (parsed JSON) at `minLevel` or above. */
const lines = (logs: string[], minLevel = 30) =>
  logs
    .flatMap((chunk) => chunk.split('\n'))
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as { level: number; msg: string; [k: string]: unknown })
    .filter((l) => l.level >= minLevel)

let running: Agent | undefined
afterEach(async () => {
  await running?.stop()
  running = undefined
})

describe('agent logs tell what happened', () => {
  it('a first hey_there is a join even when the nara’s howdy came first; the next is "again"', async () => {
    const logs: string[] = []
    const { clock, plaza, agent } = fakeAgentParts({}, { logs })
    running = agent
    await agent.start()
    clock.advance(10_000)
    // zed answers our join before its own hey_there reaches us.
    const own = (agent.status().me as { name: string }).name
    const me = { Name: 'zed', PublicKey: 'ZK', ID: 'ZID', Version: '0.2.0-ts' } as never
    plaza.emit('howdy', {
      message: { From: 'zed', To: own, Seq: 1, You: {}, Neighbors: [], Me: me } as never,
    })
    expect(lines(logs).map((l) => l.msg)).toContain('welcomed with a howdy')
    const hello = (ms: number) =>
      ({
        id: `e${ms}`,
        ts: BigInt(ms) * 1_000_000n,
        svc: 'hey-there',
        hey_there: { From: 'zed', PublicKey: 'ZK', ID: 'ZID' },
      }) as never
    plaza.emit('hey_there', { message: hello(clock.now()) })
    clock.advance(1000)
    plaza.emit('hey_there', { message: hello(clock.now()) })
    const about = lines(logs).filter((l) => l.peer === 'zed')
    expect(about.map((l) => l.msg)).toEqual(['a nara joined', 'hey_there again'])
  })

  it('the connection state is logged once per change, not once per retry', async () => {
    const logs: string[] = []
    const { clock, plaza, agent } = fakeAgentParts({}, { logs })
    running = agent
    await agent.start()
    clock.advance(10_000)
    const refused = { code: 'CONNECT_FAILED', message: 'connect to mqtt://127.0.0.1:1 failed' }
    plaza.emit('disconnected', { reason: 'connection reset' })
    // Every retry fails the same way: the loss was the news.
    for (let i = 0; i < 5; i++) plaza.emit('error', refused)
    // Another cause is news again (the broker is back but refuses us).
    const denied = { code: 'CONNECTION_REFUSED', message: 'not authorized' }
    for (let i = 0; i < 3; i++) plaza.emit('error', denied)
    plaza.emit('connected', { reconnect: true })
    const shown = lines(logs).filter((l) => /plaza/.test(l.msg) && l.msg !== 'starting nara')
    expect(shown.map((l) => l.msg).slice(-3)).toEqual([
      'lost the plaza; retrying',
      'cannot reach the plaza again; retrying',
      'connected to the plaza',
    ])
    expect(shown.at(-2)).toMatchObject({ code: 'CONNECTION_REFUSED', nara: expect.any(String) })
    expect(lines(logs, 20).filter((l) => l.msg === 'plaza connection problem')).toHaveLength(7)
  })

  it('says no chau went out when it did not, and why', async () => {
    const logs: string[] = []
    const { clock, plaza, agent } = fakeAgentParts({}, { logs })
    await agent.start()
    clock.advance(10_000)
    plaza.sayChau = async () => false
    await agent.stop()
    const said = lines(logs).map((l) => l.msg)
    expect(said).not.toContain('said chau')
    expect(said).toContain('no chau said: the publish failed')
  })
})

describe('the plaza’s lines', () => {
  it('an event the agent logs is one line: the plaza’s copy goes to debug, its name field is peer', () => {
    let text = ''
    const destination = new Writable({
      write(chunk, _enc, cb) {
        text += chunk.toString()
        cb()
      },
    })
    const logger = createLogger({ level: 'info', pretty: true, color: false, destination })
    const plaza = plazaLogger(logger.child({ nara: 'alice', component: 'plaza' }))
    plaza.warn({ kind: 'newspaper', name: 'zed', label: 'name' }, 'key conflict')
    plaza.info({ brokerUrl: 'mqtt://127.0.0.1:1' }, 'plaza reconnect scheduled')
    expect(text).toBe('')
    plaza.warn({ name: 'zed' }, 'keyring pins another key for our own identity')
    logger
      .child({ nara: 'alice' })
      .warn({ peer: 'zed' }, 'key conflict: a message used a key other than the pinned one')
    expect(text).not.toContain('(zed)')
    expect(text).toContain('[alice] keyring pins another key for our own identity')
    expect(text).toContain('[alice] key conflict: a message used a key other than the pinned one')
    expect(text).toContain('"peer":"zed"')
  })
})
