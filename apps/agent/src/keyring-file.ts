import { join } from 'node:path'
import { createKeyring, type Keyring } from '@nara/plaza'
import { setAsideCorrupt } from './corrupt-files.js'
import { lockDataDir } from './data-dir-lock.js'
import { readJsonFile, saveKeyringJson } from './identity-store.js'
import type { Logger } from './logger.js'

/**
 * The keyring of `{dir}/keyring.json`. A file that is not a keyring is never overwritten
 * silently: it is kept as `keyring.json.corrupt-<time>` (counted), with one warning saying how
 * many pins were lost (`unreadable` when it is not even JSON), and the keyring starts empty.
 */
async function loadKeyring(dir: string, logger: Logger): Promise<Keyring> {
  const path = join(dir, 'keyring.json')
  const read = await readJsonFile(path)
  if (read.state === 'missing') return createKeyring({ json: {} })
  if (read.state === 'read') {
    try {
      return createKeyring({ json: read.value as Record<string, string> })
    } catch {
      // not a keyring: set aside below
    }
  }
  const value = read.state === 'read' ? read.value : undefined
  const pinsLost =
    typeof value === 'object' && value !== null ? Object.keys(value).length : 'unreadable'
  const keptAs = setAsideCorrupt(path, 'keyring')
  logger.warn(
    { file: path, keptAs, pinsLost },
    'keyring.json was corrupt: kept beside it, trust on first use starts again',
  )
  return createKeyring({ json: {} })
}

/**
 * A keyring persisted as `{dir}/keyring.json`: pins come in bursts (a town's join pins every
 * nara), so writes are coalesced over `saveDelayMs` (0 = at once). `flush` writes what is due.
 * Takes the directory's lock (a town's keyring directory has no identity of its own).
 */
export async function persistentKeyring(
  dir: string,
  logger: Logger,
  saveDelayMs: number,
): Promise<{ keyring: Keyring; flush: () => Promise<void> }> {
  lockDataDir(dir)
  const keyring = await loadKeyring(dir, logger)
  let saving: Promise<void> | undefined
  let dirty = false
  let delayed: NodeJS.Timeout | undefined
  const write = () => {
    delayed = undefined
    if (saving) return
    saving = (async () => {
      while (dirty) {
        dirty = false
        await saveKeyringJson(dir, keyring.toJSON()).catch((err: unknown) =>
          logger.warn({ err: (err as Error).message }, 'could not save key pins'),
        )
      }
      saving = undefined
    })()
  }
  keyring.onChange(() => {
    dirty = true
    if (saveDelayMs <= 0) write()
    else delayed ??= setTimeout(write, saveDelayMs)
  })
  const flush = async () => {
    if (delayed) {
      clearTimeout(delayed)
      write()
    }
    await saving
  }
  return { keyring, flush }
}
