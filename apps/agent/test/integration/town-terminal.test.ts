import { execFileSync } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@nara/vitest-config/brokers'
import { afterAll, describe, expect, it, vi } from 'vitest'
import { MAIN } from '../helpers/agent-process.js'

/** tmux on a private socket, without any user configuration. A missing tmux fails the test. */
const SOCKET = `nara-town-${process.pid}`
const tmux = (...args: string[]) =>
  execFileSync('tmux', ['-L', SOCKET, '-f', '/dev/null', ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  })

/** The screen as shown; `joined`: wrapped lines joined again (a wrap shows as a difference). */
const capture = (joined: boolean) =>
  tmux('capture-pane', '-p', ...(joined ? ['-J'] : []), '-t', 'town').replace(/\n+$/, '')

/**
 * The screen and its joined capture, taken while it did not change: the town redraws every
 * second (ages, counters, events), so two captures apart can differ without any wrap. Throws
 * (for `vi.waitFor` to try again) when a redraw fell between them.
 */
const stableCapture = () => {
  const screen = capture(false)
  const joined = capture(true)
  if (capture(false) !== screen) throw new Error('the screen was redrawn between the captures')
  return { screen, joined }
}

describe('the default town on an 80x24 terminal (tmux)', () => {
  afterAll(() => {
    try {
      tmux('kill-server')
    } catch {
      // already gone
    }
  })

  it('fits the screen: header with the /status URL, the table, events, no line wrapped', async () => {
    const port = await freePort()
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-tty-'))
    const command = [
      'env',
      `PATH=${process.env.PATH ?? ''}`,
      `HOME=${process.env.HOME ?? tmpdir()}`,
      `NARA_DATA_DIR=${dataDir}`,
      `NARA_HTTP_PORT=${port}`,
      process.execPath,
      MAIN,
    ]
      .map((a) => `'${a.replace(/'/g, "'\\''")}'`)
      .join(' ')
    tmux('new-session', '-d', '-s', 'town', '-x', '80', '-y', '24', command)
    // Until every nara is ONLINE in everyone's eyes and events fill the space under the table.
    // Every check below reads this one screen: the show sends a nara away now and then, and
    // a later capture could show another table.
    const shown = await vi.waitFor(
      () => {
        const captured = stableCapture()
        expect(captured.screen).toContain("7/7 naras ONLINE in everyone's eyes")
        expect(captured.screen.split('\n').length).toBe(24)
        return captured
      },
      { timeout: 90_000, interval: 500 },
    )
    const screen = shown.screen.split('\n')
    // Nothing wrapped: joining wrapped lines changes nothing.
    expect(shown.joined.split('\n')).toEqual(screen)
    expect(screen[0]).toMatch(/^nara plaza · town of 7 on mqtt:\/\/127\.0\.0\.1:\d+/)
    expect(screen[1]).toContain(`status http://127.0.0.1:${port}/status`)
    expect(screen.some((l) => /^NARA\s+STATE\s+SEEN BY/.test(l))).toBe(true)
    expect(screen.filter((l) => /\bONLINE\b\s+6\/6/.test(l))).toHaveLength(7)
    const events = screen.slice(screen.indexOf('recent events:') + 1)
    expect(events.length).toBeGreaterThanOrEqual(3)
    for (const line of events) expect(line).toMatch(/^\d\d:\d\d:\d\d /)
    tmux('send-keys', '-t', 'town', 'C-c')
    await vi.waitFor(() => expect(() => tmux('has-session', '-t', 'town')).toThrow(), {
      timeout: 30_000,
      interval: 200,
    })
  }, 150_000)
})
