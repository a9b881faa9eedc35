import { createKeyring, type Keyring } from '@nara/plaza'
import { loadKeyringJson, saveKeyringJson } from './identity-store.js'
import type { Logger } from './logger.js'

/**
 * A keyring persisted as `{dir}/keyring.json`: pins come in bursts (a town's join pins every
 * nara), so writes are coalesced over `saveDelayMs` (0 = at once). `flush` writes what is due.
 */
export async function persistentKeyring(
  dir: string,
  logger: Logger,
  saveDelayMs: number,
): Promise<{ keyring: Keyring; flush: () => Promise<void> }> {
  const keyring = createKeyring({ json: (await loadKeyringJson(dir)) ?? {} })
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
