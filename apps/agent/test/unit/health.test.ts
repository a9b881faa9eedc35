import { describe, expect, it } from 'vitest'
import { createHealth } from '../../src/health.js'

describe('health check', () => {
  it('is ok while connected and the pipeline finished a message within the quiet limit', () => {
    let now = 1_000
    let connected = false
    let processed = 0
    const check = createHealth({
      connected: () => connected,
      processed: () => processed,
      nowMs: () => now,
      quietMaxMs: 10_000,
    })
    expect(check()).toMatchObject({ ok: false, connected: false, inboundAlive: true })
    connected = true
    now += 9_000
    // A new connection starts its quiet period afresh.
    expect(check()).toMatchObject({ ok: true, inboundQuietMs: 0 })
    now += 10_000
    expect(check()).toMatchObject({ ok: true, inboundQuietMs: 10_000 })
    now += 1
    expect(check()).toMatchObject({ ok: false, connected: true, inboundAlive: false })
    processed = 3
    expect(check()).toEqual({
      ok: true,
      connected: true,
      inboundAlive: true,
      inboundProcessed: 3,
      inboundQuietMs: 0,
    })
    connected = false
    expect(check().ok).toBe(false)
  })
})
