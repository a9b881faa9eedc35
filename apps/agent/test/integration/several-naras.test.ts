import { spawnSync } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createServer, type Server } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type StatusDoc, spawnAgent, stopAgent } from '../helpers/agent-process.js'
import { linesOf, runAgent } from '../helpers/agent-run.js'
import { logLines } from '../helpers/log-lines.js'

const ALICE_SOUL = '9u2KM5Lw9wB1qaK3S46B4cWHTcpbCPG19wgWG9i233fX87HCA4bLYoG'
const DEFAULT_PORT = 9632
/**
 * The naras below share the default port's fallbacks with every nara on this host (another run
 * of this file included): each is found there by a name no other process has.
 */
const BOB = `bob-${process.pid}`

/** The pid of a process that has exited (a stale lock's). */
function deadPid(): number {
  const done = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'])
  return Number(done.stdout.toString())
}

describe('several naras on one host', () => {
  let broker: TestBroker
  let blocker: Server | undefined
  beforeAll(async () => {
    broker = await startAedes()
    // The default status port is taken: by us, or already by another nara on this machine.
    blocker = createServer()
    await new Promise<void>((resolve) => {
      blocker!.once('error', () => {
        blocker = undefined
        resolve()
      })
      blocker!.listen(DEFAULT_PORT, '127.0.0.1', () => resolve())
    })
  })
  afterAll(async () => {
    blocker?.close()
    await broker?.close()
  })

  it('a second nara takes the next free status port and logs its URL', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-two-'))
    const run = runAgent({
      MQTT_HOST: broker.url,
      NARA_DATA_DIR: dataDir,
      NARA_ID: BOB,
      NARA_LOG_PRETTY: 'false',
      NARA_STOP_DEADLINE_S: '5',
    })
    // The agent runs until stopped: find its pid through the lock, then its URL in the logs.
    let pid = 0
    await expect
      .poll(
        () => {
          if (!existsSync(join(dataDir, 'lock'))) return false
          pid = JSON.parse(readFileSync(join(dataDir, 'lock'), 'utf8')).pid
          return true
        },
        { timeout: 20_000 },
      )
      .toBe(true)
    let url = ''
    await expect
      .poll(
        async () => {
          // The status answers on the port the warning names.
          const files = readdirSync(dataDir)
          if (!files.includes('identity.json')) return undefined
          for (let port = DEFAULT_PORT + 1; port <= DEFAULT_PORT + 16; port++) {
            const res = await fetch(`http://127.0.0.1:${port}/status`).catch(() => undefined)
            const body = res?.ok ? ((await res.json()) as { me?: { name?: string } }) : undefined
            if (body?.me?.name === BOB) {
              url = `http://127.0.0.1:${port}/status`
              return BOB
            }
          }
          return undefined
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBe(BOB)
    process.kill(pid, 'SIGTERM')
    const done = await run
    expect(done.code).toBe(0)
    const warning = linesOf(done.stdout)
      .map((l) => JSON.parse(l) as { level: number; msg: string; url?: string; port?: number })
      .find((l) => l.msg.startsWith('status port taken'))
    expect(warning).toMatchObject({ level: 40, port: DEFAULT_PORT, url })
    expect(readdirSync(dataDir).filter((f) => f === 'lock' || f.endsWith('.tmp'))).toEqual([])
  }, 90_000)

  it('a town while the default status port is taken runs on the next free one', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-town-'))
    const run = runAgent({
      NARA_DATA_DIR: dataDir,
      NARA_TOWN_SIZE: '1',
      NARA_LOG_PRETTY: 'false',
      NARA_STOP_DEADLINE_S: '5',
    })
    const lock = join(dataDir, 'town', 'nara-1', 'lock')
    let pid = 0
    let name = ''
    await expect
      .poll(
        () => {
          if (!existsSync(lock)) return undefined
          ;({ pid, name } = JSON.parse(readFileSync(lock, 'utf8')))
          return name
        },
        { timeout: 30_000 },
      )
      .toBeTypeOf('string')
    // The town's endpoint answers on a fallback port (found by its warning after the stop), as
    // the town of this nara: another town of one may run on this host.
    let seen = 0
    await expect
      .poll(
        async () => {
          for (let port = DEFAULT_PORT + 1; port <= DEFAULT_PORT + 16; port++) {
            const res = await fetch(`http://127.0.0.1:${port}/status`).catch(() => undefined)
            const body = res?.ok
              ? ((await res.json()) as { town?: { size?: number }; naras?: StatusDoc[] })
              : undefined
            if (body?.town?.size === 1 && body.naras?.[0]?.me?.name === name) seen = port
          }
          return seen
        },
        { timeout: 30_000, interval: 300 },
      )
      .toBeGreaterThan(DEFAULT_PORT)
    process.kill(pid, 'SIGTERM')
    const done = await run
    expect(done.code).toBe(0)
    const warning = logLines(done.stdout).find((l) => l.msg.startsWith('status port taken'))
    expect(warning?.url).toBe(`http://127.0.0.1:${seen}/status`)
  }, 90_000)

  it('refuses a second process on the same data directory, and takes over a stale lock', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-lock-'))
    // A kill -9 left a lock and a temp file behind: taken over and swept.
    const gone = deadPid()
    writeFileSync(join(dataDir, 'lock'), JSON.stringify({ pid: gone, name: 'alice' }))
    writeFileSync(join(dataDir, `keyring.json.${gone}.tmp`), '')
    const alice = await spawnAgent({
      brokerUrl: broker.url,
      dataDir,
      env: { NARA_ID: 'alice', NARA_SOUL: ALICE_SOUL },
    })
    try {
      await alice.waitFor((s) => s.me?.name === 'alice')
      expect(existsSync(join(dataDir, `keyring.json.${gone}.tmp`))).toBe(false)
      const second = await runAgent({
        MQTT_HOST: broker.url,
        NARA_DATA_DIR: dataDir,
        NARA_HTTP_PORT: '0',
      })
      expect(second.code).toBe(2)
      expect(linesOf(second.stderr)).toEqual([
        `nara: alice is already running from ${dataDir} (pid ${alice.proc.pid}); stop it, or set another NARA_DATA_DIR`,
      ])
      // The refused process did not touch alice's lock.
      expect(JSON.parse(readFileSync(join(dataDir, 'lock'), 'utf8'))).toEqual({
        pid: alice.proc.pid,
        name: 'alice',
      })
    } finally {
      await stopAgent(alice)
    }
    expect((await alice.exited).code).toBe(0)
    expect(existsSync(join(dataDir, 'lock'))).toBe(false)
  }, 90_000)
})
