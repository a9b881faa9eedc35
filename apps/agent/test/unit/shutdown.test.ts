import { EventEmitter } from 'node:events'
import { pino } from 'pino'
import { describe, expect, it } from 'vitest'
import { createShutdown, openResources } from '../../src/shutdown.js'
import { fakeClock } from '../helpers/fake-clock.js'

function setup() {
  const proc = new EventEmitter()
  const clock = fakeClock()
  const exits: number[] = []
  const stderr: string[] = []
  const logs: string[] = []
  const shutdown = createShutdown({
    proc: proc as never,
    clock,
    logger: pino({ level: 'debug' }, { write: (l: string) => void logs.push(l) }),
    deadlineMs: 15_000,
    exit: (code) => void exits.push(code),
    stderr: (t) => void stderr.push(t),
    openResources: () => ({
      byType: { Timeout: 1 },
      sockets: ['127.0.0.1:1 -> 127.0.0.1:2'],
      servers: [],
      handles: {},
    }),
  })
  const signal = (s: NodeJS.Signals) => proc.emit(s, s)
  return { proc, clock, exits, stderr, logs, shutdown, signal }
}

describe('shutdown', () => {
  it.each(['SIGINT', 'SIGTERM', 'SIGHUP'] as const)('%s starts a clean stop', async (sig) => {
    const { shutdown, signal, exits } = setup()
    signal(sig)
    expect(shutdown.signal.aborted).toBe(true)
    expect(await shutdown.requested).toBe(sig)
    expect(await shutdown.stop(async () => undefined)).toBe(0)
    expect(exits).toEqual([])
    shutdown.dispose()
  })

  it('one Ctrl-C delivered twice (process group and pnpm forwarding it) is not a second signal', () => {
    const { signal, exits, clock, shutdown } = setup()
    signal('SIGINT')
    clock.advance(5)
    signal('SIGINT')
    expect(exits).toEqual([])
    expect(shutdown.signal.aborted).toBe(true)
    shutdown.dispose()
  })

  it('a second signal exits at once with 130', () => {
    const { signal, exits, stderr, shutdown, clock } = setup()
    signal('SIGTERM')
    clock.advance(1_000)
    signal('SIGHUP')
    expect(exits).toEqual([130])
    expect(stderr.join('')).toContain('second SIGHUP')
    shutdown.dispose()
  })

  it('a stop that outlives the deadline logs what is still open and exits 0', () => {
    const { signal, exits, clock, logs, stderr, shutdown } = setup()
    signal('SIGTERM')
    void shutdown.stop(() => new Promise<void>(() => undefined))
    clock.advance(14_999)
    expect(exits).toEqual([])
    clock.advance(1)
    expect(exits).toEqual([0])
    expect(logs.join('')).toContain('stop deadline reached')
    expect(logs.join('')).toContain('127.0.0.1:1 -> 127.0.0.1:2')
    expect(stderr.join('')).toContain('stop deadline')
    shutdown.dispose()
  })

  it('a stop that finishes in time disarms the deadline', async () => {
    const { signal, exits, clock, shutdown } = setup()
    signal('SIGINT')
    await shutdown.stop(async () => undefined)
    clock.advance(60_000)
    expect(exits).toEqual([])
    shutdown.dispose()
  })

  it('reports the open resources of this process by kind', () => {
    const open = openResources()
    expect(typeof open.byType).toBe('object')
    expect(Array.isArray(open.sockets)).toBe(true)
  })
})
