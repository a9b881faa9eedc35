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
    await vi.waitFor(
      () => {
        const screen = capture(false)
        expect(screen).toContain("7/7 naras ONLINE in everyone's eyes")
        expect(screen.split('\n').length).toBe(24)
      },
      { timeout: 90_000, interval: 500 },
    )
    const screen = capture(false).split('\n')
    // Nothing wrapped: joining wrapped lines changes nothing.
    expect(capture(true).split('\n')).toEqual(screen)
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
