import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/metrics.js'

describe('agent metrics', () => {
  it('counts inbound messages by topic in the snapshot and in the Prometheus text at scrape time', async () => {
    const m = createMetrics({
      name: 'nara-1',
      neighbourCounts: () => ({ ONLINE: 2, OFFLINE: 0, MISSING: 1, hearsay: 400 }),
      connected: () => true,
    })
    m.messageIn('howdy')
    m.messageIn('howdy')
    m.messageIn('newspaper')
    expect(m.snapshot().in).toEqual({ howdy: 2, newspaper: 1 })
    const text = await m.registry.metrics()
    expect(text).toContain('nara_messages_in_total{topic="howdy",nara="nara-1"} 2')
    expect(text).toContain('nara_messages_in_total{topic="newspaper",nara="nara-1"} 1')
    expect(text).toContain('nara_neighbours{state="ONLINE",nara="nara-1"} 2')
    expect(text).toContain('nara_neighbours{state="hearsay",nara="nara-1"} 400')
    // A second scrape reports the same totals (collect replaces, never adds twice).
    m.messageIn('howdy')
    expect(await m.registry.metrics()).toContain(
      'nara_messages_in_total{topic="howdy",nara="nara-1"} 3',
    )
  })

  it('reads the connection at each scrape, and registers verify timings at the first verification', async () => {
    let up = true
    const m = createMetrics({
      name: 'nara-2',
      neighbourCounts: () => ({ ONLINE: 0, OFFLINE: 0, MISSING: 0, hearsay: 0 }),
      connected: () => up,
    })
    expect(await m.registry.metrics()).toContain('nara_connected{nara="nara-2"} 1')
    up = false
    expect(await m.registry.metrics()).toContain('nara_connected{nara="nara-2"} 0')
    // A town's nara never verifies (its town does): no empty histogram of its own.
    expect(await m.registry.metrics()).not.toContain('nara_verify_seconds')
    m.verified(4, 0.002)
    const text = await m.registry.metrics()
    expect(text).toContain('nara_verify_seconds_count{nara="nara-2"} 4')
    expect(text).toContain('nara_verify_seconds_sum{nara="nara-2"} 0.002')
    expect(text).toContain('nara_verify_seconds_bucket{le="0.0005",nara="nara-2"} 4')
  })
})
