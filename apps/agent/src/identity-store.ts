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
import { readFile, rename, unlink, writeFile } from 'node:fs/promises'
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
import { type JsonFile, parseJsonFile, setAsideCorrupt } from './corrupt-files.js'
import { lockDataDir } from './data-dir-lock.js'
import { removeOnExit } from './exit-cleanup.js'
import type { Logger } from './logger.js'
import { reasonOf, StartupError } from './startup-error.js'

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

/** Thrown when the data directory holds an identity file that cannot be used (exit 2). */
export class IdentityFileError extends StartupError {
  override readonly name = 'IdentityFileError'
}

/** A file's text, undefined when it does not exist (other read errors are thrown). */
async function readText(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8')
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    throw err
  }
}

/** A state file at start: its JSON, `missing`, or `unparseable`. */
export async function readJsonFile(path: string): Promise<JsonFile> {
  return parseJsonFile(await readText(path))
}

/** The last write queued per path: writes of one file run one after the other, in call order. */
const pendingWrites = new Map<string, Promise<void>>()
let tmpCounter = 0

/**
 * Resolves once every write queued so far has ended (written or failed), or after `maxMs`. The
 * process awaits it before it exits: an exit during a write would remove the temp file before
 * the write's `open` created it, and leave it behind.
 */
export async function settleWrites(maxMs: number): Promise<void> {
  if (pendingWrites.size === 0) return
  let timer: NodeJS.Timeout | undefined
  const bound = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, maxMs)
  })
  await Promise.race([Promise.allSettled([...pendingWrites.values()]), bound])
  clearTimeout(timer)
}

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
      // Never left behind: removed if the write fails, or if the process exits during it.
      const forgetTmp = removeOnExit(tmp)
      try {
        await writeFile(tmp, text, { mode })
        await rename(tmp, path)
      } catch (err) {
        await unlink(tmp).catch(() => undefined)
        throw err
      } finally {
        forgetTmp()
      }
    })
  pendingWrites.set(path, write)
  const forget = () => {
    if (pendingWrites.get(path) === write) pendingWrites.delete(path)
  }
  write.then(forget, forget)
  return write
}

/** The identity stored in `identity.json`, or undefined; refuses a file it cannot use. */
async function storedIdentity(file: string): Promise<IdentityFile | undefined> {
  const fix = 'move it away to start as a new nara, or set NARA_SOUL to the soul it held'
  let read: JsonFile
  try {
    read = await readJsonFile(file)
  } catch (err) {
    throw new IdentityFileError(`${file}: cannot read the identity (${reasonOf(err)})`)
  }
  if (read.state === 'missing') return undefined
  // Never the parser's message or the content: the file holds a soul.
  if (read.state === 'unparseable')
    throw new IdentityFileError(`${file}: not valid JSON (corrupted?); ${fix}`)
  const stored = read.value as Partial<IdentityFile> | null
  if (typeof stored?.soul !== 'string')
    throw new IdentityFileError(`${file}: holds no "soul"; ${fix}`)
  return { soul: stored.soul, name: typeof stored.name === 'string' ? stored.name : '' }
}

/**
 * The nara's identity: `NARA_SOUL`, else the stored one, else a new soul stored (0600). Takes the
 * data directory's lock first (`data-dir-lock.ts`).
 */
export async function loadIdentity(options: LoadIdentityOptions): Promise<Identity> {
  const { dataDir } = options
  lockDataDir(dataDir, { name: options.name })
  const file = join(dataDir, 'identity.json')
  let soul: Soul
  let name: string
  let source: Identity['source']
  const stored = options.soul ? undefined : await storedIdentity(file)
  if (options.soul) {
    soul = parseSoul(options.soul)
    name = options.name ?? nameFromSoul(soul)
    source = 'env'
  } else if (stored) {
    try {
      soul = parseSoul(stored.soul)
    } catch {
      throw new IdentityFileError(
        `${file}: the stored soul does not parse; refusing to start (move the file away to start as a new nara)`,
      )
    }
    name = options.name ?? (stored.name || nameFromSoul(soul))
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
  lockDataDir(dataDir, { name })
  return { ...identityFromSoul(soul, name), source }
}

/** Counters kept across restarts (seconds). */
export interface RunState {
  firstStartS: number
  starts: number
  totalUptimeS: number
}

const isCount = (v: unknown) => typeof v === 'number' && Number.isFinite(v) && v >= 0

/**
 * The run counters of `state.json`, one more start counted. A file that cannot be read as them
 * is kept beside itself (`state.json.corrupt-<time>`, counted) with one warning, and the counters
 * start afresh.
 */
export async function loadRunState(
  dataDir: string,
  nowS: number,
  logger?: Logger,
): Promise<RunState> {
  const path = join(dataDir, 'state.json')
  const read = await readJsonFile(path)
  let stored: Partial<RunState> | undefined
  if (read.state === 'read') {
    const v = read.value as Partial<RunState> | null
    const valid =
      typeof v === 'object' &&
      v !== null &&
      [v.firstStartS, v.starts, v.totalUptimeS].every((x) => x === undefined || isCount(x))
    if (valid) stored = v
  }
  if (read.state !== 'missing' && stored === undefined) {
    const keptAs = setAsideCorrupt(path, 'state')
    logger?.warn(
      { file: path, keptAs },
      'state.json was unreadable; kept beside it, run counters start afresh',
    )
  }
  return {
    firstStartS: stored?.firstStartS ?? nowS,
    starts: (stored?.starts ?? 0) + 1,
    totalUptimeS: stored?.totalUptimeS ?? 0,
  }
}

export async function saveRunState(dataDir: string, state: RunState): Promise<void> {
  await writeJsonAtomic(join(dataDir, 'state.json'), state, 0o644)
}

export async function saveKeyringJson(
  dataDir: string,
  json: Record<string, string>,
): Promise<void> {
  await writeJsonAtomic(join(dataDir, 'keyring.json'), json, 0o644)
}
