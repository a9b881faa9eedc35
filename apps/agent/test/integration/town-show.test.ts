import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { MAIN } from '../helpers/agent-process.js'

/**
 * The default town (`pnpm start` without MQTT_HOST: its own aedes broker, 7 naras, the show's
 * cadences) as a real process with piped stdout: the real clock, bounded by conditions only.
 */
describe('the default town as a show, without a terminal', () => {
  let proc: ChildProcess
  let out = ''
  let exited: Promise<number | null>

  /** Every line of stdout, parsed: a line that is not JSON fails the test. */
  const lines = (): Array<Record<string, unknown>> =>
    out
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => {
        try {
          return JSON.parse(l) as Record<string, unknown>
        } catch {
          throw new Error(`stdout line is not JSON: ${l.slice(0, 200)}`)
        }
      })
  const feed = (event: string, extra: (l: Record<string, unknown>) => boolean = () => true) =>
    lines().filter((l) => l.event === event && extra(l))

  beforeAll(async () => {
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NARA_DATA_DIR: mkdtempSync(join(tmpdir(), 'nara-show-')),
      NARA_HTTP_PORT: String(await freePort()),
    }
    proc = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
    proc.stdout?.on('data', (d: Buffer) => {
      out += d.toString()
    })
    proc.stderr?.on('data', (d: Buffer) => {
      out += d.toString()
    })
    exited = new Promise((resolve) => proc.once('exit', (code) => resolve(code)))
  })

  afterAll(async () => {
    if (proc.exitCode === null) proc.kill('SIGKILL')
  })

  it('shows joins, howdys, newspapers, a tease, a checkpoint round, a nara leaving and coming back', async () => {
    const msg = (l: Record<string, unknown>) => String(l.msg)
    await vi.waitFor(
      () => {
        expect(feed('hey_there').length).toBeGreaterThanOrEqual(7)
        expect(feed('howdy').length).toBeGreaterThanOrEqual(1)
        expect(feed('newspaper', (l) => /buzz \d+.*mood /.test(msg(l))).length).toBeGreaterThan(0)
        expect(feed('social', (l) => msg(l).includes('tease')).length).toBeGreaterThan(0)
        expect(feed('checkpoint_propose').length).toBeGreaterThan(0)
        expect(feed('checkpoint_vote').length).toBeGreaterThan(0)
        expect(feed('checkpoint_final').length).toBeGreaterThan(0)
        const left = feed('chau').map((l) => l.sender)
        expect(left.length).toBeGreaterThan(0)
        expect(feed('hey_there', (l) => l.back === true && left.includes(l.sender))).not.toEqual([])
      },
      { timeout: 170_000, interval: 500 },
    )
    // Stopped, every line it wrote is still JSON; the table went to the log as JSON too.
    proc.kill('SIGINT')
    expect(await exited).toBe(0)
    expect(lines().some((l) => l.msg === 'town table')).toBe(true)
  }, 200_000)
})
