/**
 * Identity and small persistent state in the data directory, so a nara is the same nara after
 * a restart:
 *
 * - `identity.json` (mode 0600): the soul and the name it runs under. Written only when the
 *   soul was generated here (a soul given in `NARA_SOUL` is never copied to disk).
 * - `keyring.json`: key pins (name and NaraID -> public key), so trust survives a restart.
 * - `state.json`: first start time, number of starts and accumulated uptime (checkpoint values).
 */
import { randomBytes } from 'node:crypto'
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import {
  type Identity as CryptoIdentity,
  encodeSoul,
  generateSoul,
  identityFromSoul,
  nameFromSoul,
  parseSoul,
  type Soul,
} from '@nara/crypto'

/** Who this nara is (`@nara/crypto`'s one identity type), and where its soul came from. */
export interface Identity extends CryptoIdentity {
  /** Where the soul came from. */
  readonly source: 'env' | 'data-dir' | 'generated'
}

export interface LoadIdentityOptions {
  dataDir: string
  /** `NARA_ID`. */
  name?: string | undefined
  /** `NARA_SOUL` (already validated by the config). */
  soul?: string | undefined
  randomBytes?: (n: number) => Uint8Array
}

interface IdentityFile {
  soul: string
  name: string
}

/** Thrown when the data directory holds an identity file that cannot be used. */
export class IdentityFileError extends Error {
  override readonly name = 'IdentityFileError'
}

async function readJson<T>(path: string): Promise<T | undefined> {
  let text: string
  try {
    text = await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
  return JSON.parse(text) as T
}

/** The last write queued per path: writes of one file run one after the other, in call order. */
const pendingWrites = new Map<string, Promise<void>>()
let tmpCounter = 0

/**
 * Writes a file atomically (temp file + rename). Overlapping writes of the same path (a newspaper's
 * run-state save and the stop's) are queued, so none fails on the other's temp file and the last
 * call wins.
 */
export function writeJsonAtomic(path: string, value: unknown, mode = 0o600): Promise<void> {
  const text = `${JSON.stringify(value, null, 2)}\n`
  const previous = pendingWrites.get(path) ?? Promise.resolve()
  const write = previous
    .catch(() => undefined)
    .then(async () => {
      const tmp = `${path}.${process.pid}.${++tmpCounter}.tmp`
      await writeFile(tmp, text, { mode })
      await rename(tmp, path)
    })
  pendingWrites.set(path, write)
  const forget = () => {
    if (pendingWrites.get(path) === write) pendingWrites.delete(path)
  }
  write.then(forget, forget)
  return write
}

export async function loadIdentity(options: LoadIdentityOptions): Promise<Identity> {
  const { dataDir } = options
  await mkdir(dataDir, { recursive: true, mode: 0o700 })
  const file = join(dataDir, 'identity.json')
  let soul: Soul
  let name: string
  let source: Identity['source']
  if (options.soul) {
    soul = parseSoul(options.soul)
    name = options.name ?? nameFromSoul(soul)
    source = 'env'
  } else {
    const stored = await readJson<IdentityFile>(file).catch((err: unknown) => {
      throw new IdentityFileError(`${file}: unreadable identity (${(err as Error).message})`)
    })
    if (stored) {
      try {
        soul = parseSoul(stored.soul)
      } catch {
        throw new IdentityFileError(`${file}: the stored soul does not parse; refusing to start`)
      }
      name = options.name ?? stored.name ?? nameFromSoul(soul)
      source = 'data-dir'
    } else {
      const fresh = generateSoul(
        options.name,
        options.randomBytes ?? ((n) => new Uint8Array(randomBytes(n))),
      )
      soul = fresh.soul
      name = fresh.name
      source = 'generated'
      await writeJsonAtomic(file, { soul: encodeSoul(soul), name } satisfies IdentityFile)
    }
  }
  return { ...identityFromSoul(soul, name), source }
}

/** Counters kept across restarts (seconds). */
export interface RunState {
  firstStartS: number
  starts: number
  totalUptimeS: number
}

export async function loadRunState(dataDir: string, nowS: number): Promise<RunState> {
  const stored = await readJson<Partial<RunState>>(join(dataDir, 'state.json')).catch(
    () => undefined,
  )
  return {
    firstStartS: stored?.firstStartS ?? nowS,
    starts: (stored?.starts ?? 0) + 1,
    totalUptimeS: stored?.totalUptimeS ?? 0,
  }
}

export async function saveRunState(dataDir: string, state: RunState): Promise<void> {
  await writeJsonAtomic(join(dataDir, 'state.json'), state, 0o644)
}

export async function loadKeyringJson(
  dataDir: string,
): Promise<Record<string, string> | undefined> {
  return readJson<Record<string, string>>(join(dataDir, 'keyring.json')).catch(() => undefined)
}

export async function saveKeyringJson(
  dataDir: string,
  json: Record<string, string>,
): Promise<void> {
  await writeJsonAtomic(join(dataDir, 'keyring.json'), json, 0o644)
}
