import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { setAsideCorrupt } from '../../src/corrupt-files.js'
import { lockDataDir, unlockDataDir } from '../../src/data-dir-lock.js'
import { settleWrites, writeJsonAtomic } from '../../src/identity-store.js'

const dir = () => mkdtempSync(join(tmpdir(), 'nara-lock-'))
const lockOf = (d: string) => JSON.parse(readFileSync(join(d, 'lock'), 'utf8'))

describe('data directory lock', () => {
  it('refuses a directory held by a running process, naming it', () => {
    const d = dir()
    writeFileSync(join(d, 'lock'), JSON.stringify({ pid: 4242, name: 'alice' }))
    let error: unknown
    try {
      lockDataDir(d, { isAlive: (pid) => pid === 4242 })
    } catch (err) {
      error = err
    }
    expect(error).toMatchObject({
      name: 'StartupError',
      message: `alice is already running from ${d} (pid 4242); stop it, or set another NARA_DATA_DIR`,
    })
    expect(lockOf(d)).toEqual({ pid: 4242, name: 'alice' })
  })

  it('takes over the lock of a process that is gone, or an unreadable one', () => {
    for (const stale of [JSON.stringify({ pid: 4242, name: 'alice' }), '', '{"pid":']) {
      const d = dir()
      writeFileSync(join(d, 'lock'), stale)
      lockDataDir(d, { name: 'bob', isAlive: () => false })
      expect(lockOf(d)).toEqual({ pid: process.pid, name: 'bob' })
      unlockDataDir(d)
      expect(existsSync(join(d, 'lock'))).toBe(false)
    }
  })

  it('is held again by its own process (the name filled in later), and sweeps stale temp files', () => {
    const d = dir()
    writeFileSync(join(d, 'state.json.999999.3.tmp'), '')
    writeFileSync(join(d, 'keyring.json.999998.tmp'), '')
    writeFileSync(join(d, 'notes.123.tmp'), 'not ours')
    lockDataDir(d)
    expect(lockOf(d)).toEqual({ pid: process.pid })
    lockDataDir(d, { name: 'carol' })
    expect(lockOf(d)).toEqual({ pid: process.pid, name: 'carol' })
    expect(readdirSync(d).sort()).toEqual(['lock', 'notes.123.tmp'])
    unlockDataDir(d)
  })
})

describe('state files', () => {
  it('sets a corrupt file aside without replacing an earlier one', () => {
    const d = dir()
    const path = join(d, 'keyring.json')
    const now = Date.UTC(2026, 11, 4, 4, 30)
    writeFileSync(path, 'first')
    expect(setAsideCorrupt(path, 'keyring', now)).toBe(
      'keyring.json.corrupt-2026-12-04T04-30-00.000Z',
    )
    writeFileSync(path, 'second')
    expect(setAsideCorrupt(path, 'keyring', now)).toBe(
      'keyring.json.corrupt-2026-12-04T04-30-00.000Z-1',
    )
    expect(readFileSync(join(d, 'keyring.json.corrupt-2026-12-04T04-30-00.000Z'), 'utf8')).toBe(
      'first',
    )
    expect(existsSync(path)).toBe(false)
  })

  it('leaves no temp file when a write fails', async () => {
    const d = dir()
    // The target is a directory: the rename fails after the temp file was written.
    const target = join(d, 'state.json')
    mkdirSync(target)
    await expect(writeJsonAtomic(join(d, 'state.json'), { a: 1 })).rejects.toThrow()
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })

  it('settleWrites waits for the writes in flight (the process exits only after them)', async () => {
    const d = dir()
    // Not awaited: only settleWrites waits for them.
    for (const n of [1, 2, 3]) void writeJsonAtomic(join(d, `f${n}.json`), { n })
    await settleWrites(60_000)
    expect(readdirSync(d).sort()).toEqual(['f1.json', 'f2.json', 'f3.json'])
    expect(JSON.parse(readFileSync(join(d, 'f3.json'), 'utf8'))).toEqual({ n: 3 })
    await settleWrites(60_000)
  })
})
