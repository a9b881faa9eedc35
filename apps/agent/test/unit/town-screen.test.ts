import { describe, expect, it } from 'vitest'
import { renderScreen, type ScreenInput } from '../../src/town-screen.js'
import type { TownRow } from '../../src/town-table.js'

const row = (i: number): TownRow => ({
  name: `quirky-name-number-${i}`,
  running: true,
  seenOnlineBy: 6,
  others: 6,
  lastHeartbeatMs: 1000,
  onlineNeighbours: 6,
  knownNeighbours: 6,
  verified: 123_456,
  dropped: 7,
  sent: 999,
})

const input = (over: Partial<ScreenInput>): ScreenInput => ({
  columns: 80,
  rows: 24,
  header: [
    `nara plaza · town of 7 on mqtt://127.0.0.1:40000 · Ctrl-C to stop ${'x'.repeat(40)}`,
    'status http://127.0.0.1:9632/status · page http://127.0.0.1:9632/',
  ],
  table: Array.from({ length: 7 }, (_, i) => row(i)),
  events: Array.from({ length: 50 }, (_, i) => `04:00:${String(i).padStart(2, '0')} event ${i}`),
  nowMs: 31_000,
  color: false,
  ...over,
})

const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`, 'g')
const visible = (line: string) => [...line.replace(ANSI, '')].length

describe('town screen', () => {
  it('fits 80x24: header first, the whole table, the newest events in the rest', () => {
    const lines = renderScreen(input({})).split('\n')
    expect(lines).toHaveLength(24)
    for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(80)
    expect(lines[0]).toMatch(/^nara plaza · town of 7 .*…$/)
    expect(lines[1]).toContain('/status')
    expect(lines.filter((l) => l.startsWith('quirky-name-number-'))).toHaveLength(7)
    expect(lines.at(-1)).toBe('04:00:49 event 49')
    expect(lines.filter((l) => l.includes(' event '))).toHaveLength(24 - 2 - 1 - 9 - 2)
  })

  it('summarises the table when it does not fit, and keeps events under it', () => {
    const table = Array.from({ length: 40 }, (_, i) => row(i))
    const lines = renderScreen(input({ table, color: true })).split('\n')
    expect(lines).toHaveLength(24)
    for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(80)
    expect(lines.some((l) => l.includes('… and '))).toBe(true)
    expect(lines.filter((l) => l.includes(' event ')).length).toBeGreaterThanOrEqual(3)
  })

  it('cuts long lines to a narrow terminal and shows the latest warnings last', () => {
    const long = `04:00:00 ${'y'.repeat(200)}`
    const lines = renderScreen(
      input({ columns: 40, events: [long], warnings: ['WARN: broker slow'] }),
    ).split('\n')
    for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(40)
    expect(lines.at(-1)).toBe('WARN: broker slow')
    expect(lines.at(-2)).toMatch(/^04:00:00 y+…$/)
  })
})
