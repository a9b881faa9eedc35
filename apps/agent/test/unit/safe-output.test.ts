import { openSync } from 'node:fs'
import { pino } from 'pino'
import { describe, expect, it, vi } from 'vitest'
import { createSafeSink } from '../../src/safe-output.js'

describe('safe log sink', () => {
  it('a descriptor that fails on write (ENOSPC here, EPIPE/EIO alike) is given up, never thrown', async () => {
    const closedBy: string[] = []
    // /dev/full accepts the open and fails every write with ENOSPC.
    const sink = createSafeSink({
      fd: openSync('/dev/full', 'w'),
      onClosed: (err) => void closedBy.push(err.code ?? '?'),
    })
    const log = pino({ level: 'info' }, sink.stream)
    log.info('one')
    await vi.waitFor(() => expect(sink.closed()).toBe(true))
    expect(closedBy).toEqual(['ENOSPC'])
    for (let i = 0; i < 1000; i++) log.info({ i }, 'after the failure')
    expect(sink.dropped()).toBeGreaterThanOrEqual(1000)
    expect(() => sink.flushSync()).not.toThrow()
  })

  it('a sink with nobody reading drops beyond its buffer instead of blocking', () => {
    // A pipe nobody reads is simulated by a buffer bound smaller than one line.
    const sink = createSafeSink({ fd: openSync('/dev/null', 'w'), maxBufferedBytes: 8 })
    const log = pino({ level: 'info' }, sink.stream)
    log.info('a line longer than eight bytes')
    expect(sink.dropped()).toBe(1)
    expect(sink.closed()).toBe(false)
  })
})
