import { describe, expect, it } from 'vitest'
import { renderTownTable, type TownRow } from '../../src/town-table.js'

const row = (over: Partial<TownRow>): TownRow => ({
  name: 'a',
  running: true,
  seenOnlineBy: 2,
  others: 2,
  lastHeartbeatMs: 1000,
  onlineNeighbours: 2,
  knownNeighbours: 2,
  verified: 10,
  dropped: 1,
  sent: 4,
  ...over,
})

describe('town table', () => {
  it('shows state, heartbeat age and counters without colour when asked', () => {
    const out = renderTownTable(
      [
        row({ name: 'noisy-bear-189' }),
        row({ name: 'b', seenOnlineBy: 0, lastHeartbeatMs: undefined }),
        row({ name: 'c', running: false }),
      ],
      { nowMs: 31_000, color: false },
    )
    expect(out).not.toContain('\x1b[')
    const lines = out.split('\n')
    expect(lines[0]).toMatch(/^NARA\s+STATE\s+SEEN BY\s+HEARTBEAT/)
    expect(lines[1]).toMatch(/noisy-bear-189\s+ONLINE\s+2\/2\s+30s ago\s+2\/2\s+10\s+1\s+4/)
    expect(lines[2]).toMatch(/^b\s+joining\s+0\/2\s+-/)
    expect(lines[3]).toMatch(/^c\s+stopped/)
    expect(lines.at(-1)).toBe("1/3 naras ONLINE in everyone's eyes")
  })

  it('summarises rows beyond the limit', () => {
    const rows = Array.from({ length: 5 }, (_, i) => row({ name: `n${i}` }))
    expect(renderTownTable(rows, { nowMs: 0, color: false, maxRows: 2 })).toContain('… and 3 more')
  })
})
