/**
 * A state file that cannot be read at start (`keyring.json`, `state.json`) is never overwritten
 * silently: it is kept beside itself as `<file>.corrupt-<time>` (never replacing an earlier one),
 * counted (`nara_state_files_corrupt_total{file}`, process-wide) and the caller logs one warning.
 */
import { linkSync, unlinkSync } from 'node:fs'
import { basename } from 'node:path'

const counts = new Map<string, number>()

/** Corrupt files set aside by this process, by label (`keyring`, `state`). */
export function corruptFileCounts(): ReadonlyMap<string, number> {
  return counts
}

/** `2026-12-04T04-30-00.123Z`: a time that is a valid file name everywhere. */
const stamp = (nowMs: number) => new Date(nowMs).toISOString().replaceAll(':', '-')

/**
 * Moves `path` to `<path>.corrupt-<time>` (a suffix `-1`, `-2`... if taken), counts it under
 * `label` and returns the new path's file name.
 */
export function setAsideCorrupt(path: string, label: string, nowMs = Date.now()): string {
  const base = `${path}.corrupt-${stamp(nowMs)}`
  for (let n = 0; ; n++) {
    const target = n === 0 ? base : `${base}-${n}`
    try {
      linkSync(path, target)
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EEXIST' && n < 100) continue
      throw err
    }
    unlinkSync(path)
    counts.set(label, (counts.get(label) ?? 0) + 1)
    return basename(target)
  }
}

/** What a JSON state file held at start. */
export type JsonFile =
  | { state: 'missing' }
  | { state: 'read'; value: unknown }
  | { state: 'unparseable' }

/** Parses a file's text; the parser's message is never kept (it may quote the file). */
export function parseJsonFile(text: string | undefined): JsonFile {
  if (text === undefined) return { state: 'missing' }
  try {
    return { state: 'read', value: JSON.parse(text) as unknown }
  } catch {
    return { state: 'unparseable' }
  }
}
