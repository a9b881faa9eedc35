import { describe, expect, it } from 'vitest'
import { createMetrics } from '../../src/metrics.js'

describe('agent metrics', () => {
  it('counts inbound messages by topic in the snapshot and in the Prometheus text at scrape time', async () => {
    const m = createMetrics({
      name: 'nara-1',
      neighbourCounts: () => ({ ONLINE: 2, OFFLINE: 0, MISSING: 1, hearsay: 400 }),
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
})
