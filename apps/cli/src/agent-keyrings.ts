/**
 * Where an agent keeps its key pins in its data directory (`NARA_DATA_DIR`):
 * - a single nara: `keyring.json`;
 * - a town (`NARA_MODE=town`): one receiver verifies for every nara of the town, so the town's
 *   naras share one keyring, `town/keyring.json`, and each nara lives in `town/nara-<i>/`
 *   (its `identity.json` names it; only the name is read here, never the soul).
 */
import { readdir, readFile } from 'node:fs/promises'
import path from 'node:path'
import { InputError } from './errors.js'
import { type KeyringFile, loadKeyringFile } from './keyring-file.js'

/** File name of the agent's pins inside its data directory (and inside `town/`). */
export const AGENT_KEYRING_FILE = 'keyring.json'
/** The town's directory inside the data directory. */
export const TOWN_DIR = 'town'

/** One keyring found in a data directory. */
export interface AgentKeyring {
  /** `nara`: a single nara's pins; `town`: the pins the town's naras share; `file`: --file. */
  keeper: 'nara' | 'town' | 'file'
  file: string
  keyring: KeyringFile
  /** For a town: the names of its naras, in order (nara-1, nara-2, ...). */
  naras: string[]
}

async function loadIfPresent(file: string): Promise<KeyringFile | undefined> {
  try {
    return await loadKeyringFile(file)
  } catch (error) {
    if (error instanceof InputError && error.message.includes('no such file')) return undefined
    throw error
  }
}

/** The names of a town's naras, from `town/nara-<i>/identity.json` (the `name` field only). */
export async function townNaraNames(townDir: string): Promise<string[]> {
  let entries: string[]
  try {
    entries = await readdir(townDir)
  } catch {
    return []
  }
  const dirs = entries
    .map((e) => /^nara-(\d+)$/.exec(e))
    .filter((m) => m !== null)
    .sort((a, b) => Number(a[1]) - Number(b[1]))
  const names: string[] = []
  for (const m of dirs) {
    try {
      const stored = JSON.parse(
        await readFile(path.join(townDir, m[0], 'identity.json'), 'utf8'),
      ) as { name?: unknown }
      names.push(typeof stored.name === 'string' ? stored.name : m[0])
    } catch {
      names.push(m[0])
    }
  }
  return names
}

/**
 * The keyrings of a data directory: the single nara's and the town's, those present. Throws an
 * InputError naming both places when there is neither.
 */
export async function findAgentKeyrings(dataDir: string): Promise<AgentKeyring[]> {
  const found: AgentKeyring[] = []
  const single = path.join(dataDir, AGENT_KEYRING_FILE)
  const own = await loadIfPresent(single)
  if (own) found.push({ keeper: 'nara', file: single, keyring: own, naras: [] })
  const townDir = path.join(dataDir, TOWN_DIR)
  const townFile = path.join(townDir, AGENT_KEYRING_FILE)
  const town = await loadIfPresent(townFile)
  if (town) {
    found.push({
      keeper: 'town',
      file: townFile,
      keyring: town,
      naras: await townNaraNames(townDir),
    })
  }
  if (found.length === 0) {
    throw new InputError(
      `no keyring at ${single} (a nara) or ${townFile} (a town)`,
      'start the agent once with this NARA_DATA_DIR (it writes its pins there), or pass --data-dir / --file',
    )
  }
  return found
}
