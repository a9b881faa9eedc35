/**
 * One process per data directory: two agents sharing one would share a soul, and the second's
 * chau would make the others mark the live one OFFLINE. The first to start creates `lock` (its pid
 * and name, created atomically: written beside it, then hard-linked into place, which fails when
 * it exists); a second start refuses with one line. A lock whose process is gone (a kill -9, a
 * crash) is taken over, and the temp files of an interrupted write removed. The lock goes away
 * when the process exits (`exit-cleanup.ts`).
 */
import {
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs'
import { join } from 'node:path'
import { removeOnExit } from './exit-cleanup.js'
import { reasonOf, StartupError } from './startup-error.js'

export const LOCK_FILE = 'lock'

export interface LockOptions {
  /** The nara holding the directory, named in the refusal of a second start. */
  name?: string | undefined
  /** This process (tests). */
  pid?: number
  /** Whether a process runs (tests). */
  isAlive?: (pid: number) => boolean
}

/** Directories this process holds. */
const held = new Set<string>()

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0)
    return true
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM'
  }
}

function unusable(dir: string, err: unknown): StartupError {
  return new StartupError(
    `NARA_DATA_DIR: cannot use "${dir}" as a data directory (${reasonOf(err)}); point NARA_DATA_DIR at a directory this user can write`,
  )
}

/** Writes the lock's content beside it and moves it into place; `exclusive`: fail if it exists. */
function place(path: string, content: string, exclusive: boolean, pid: number): void {
  const tmp = `${path}.${pid}.tmp`
  writeFileSync(tmp, content, { mode: 0o644 })
  try {
    if (exclusive) linkSync(tmp, path)
    else renameSync(tmp, path)
  } finally {
    if (exclusive) unlinkSync(tmp)
  }
}

/** The pid in a lock file, or undefined when it cannot be read. */
function holderOf(path: string): { pid: number; name: string | undefined } | undefined {
  try {
    const parsed = JSON.parse(readFileSync(path, 'utf8')) as { pid?: unknown; name?: unknown }
    if (typeof parsed.pid !== 'number' || !Number.isInteger(parsed.pid)) return undefined
    return { pid: parsed.pid, name: typeof parsed.name === 'string' ? parsed.name : undefined }
  } catch {
    return undefined
  }
}

/** Removes temp files (`x.json.<pid>[.<n>].tmp`) that a process stopped in mid-write left. */
function sweepTempFiles(dir: string, pid: number): void {
  for (const entry of readdirSync(dir)) {
    const m = /^(?:[\w-]+\.json|lock)\.(\d+)(?:\.\d+)?\.tmp$/.exec(entry)
    if (m && Number(m[1]) !== pid) unlinkSync(join(dir, entry))
  }
}

/**
 * Creates `dir` if needed and takes its lock (again: updates the name). Sync: it runs once per
 * start, before anything in the directory is read or written.
 * @throws StartupError naming the running holder, or why the directory is unusable
 */
export function lockDataDir(dir: string, options: LockOptions = {}): void {
  const pid = options.pid ?? process.pid
  const isAlive = options.isAlive ?? processAlive
  const path = join(dir, LOCK_FILE)
  const content = `${JSON.stringify({ pid, name: options.name })}\n`
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    if (held.has(dir)) {
      if (options.name !== undefined) place(path, content, false, pid)
      return
    }
    for (let attempt = 0; ; attempt++) {
      try {
        place(path, content, true, pid)
        break
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 3) throw err
      }
      const holder = holderOf(path)
      if (holder && holder.pid !== pid && isAlive(holder.pid)) {
        throw new StartupError(
          `${holder.name ?? 'a nara'} is already running from ${dir} (pid ${holder.pid}); stop it, or set another NARA_DATA_DIR`,
        )
      }
      // Stale (its process is gone) or unreadable: take it over.
      unlinkSync(path)
    }
    held.add(dir)
    removeOnExit(path)
    sweepTempFiles(dir, pid)
  } catch (err) {
    if (err instanceof StartupError) throw err
    throw unusable(dir, err)
  }
}

/** Gives the directory up (tests; a process gives its directories up when it exits). */
export function unlockDataDir(dir: string): void {
  if (!held.delete(dir)) return
  try {
    unlinkSync(join(dir, LOCK_FILE))
  } catch {
    // already gone
  }
}
