/**
 * Secrets read from files (`NARA_SOUL_FILE`, `MQTT_PASS_FILE`), so they need not sit in the
 * environment or on a command line. A problem is one line naming the variable and the path, and
 * never the file's contents.
 */
import { readFileSync, type Stats, statSync } from 'node:fs'

/** How the configuration reads a file (`node:fs` in production). */
export interface FileReader {
  readFile(path: string): string
  stat(path: string): Pick<Stats, 'mode'>
}

export const nodeFileReader: FileReader = {
  readFile: (path) => readFileSync(path, 'utf8'),
  stat: (path) => statSync(path),
}

/** What a soul must be (after "not " or "does not hold "). */
export const SOUL_RULE = 'a soul (base58 text of 40 bytes); refusing to fall back to a shared key'

export type SecretFileResult =
  | { ok: true; value: string; warning: string | undefined }
  | { ok: false; issue: string }

const REASONS: Record<string, string> = {
  ENOENT: 'no such file',
  EACCES: 'permission denied',
  EISDIR: 'it is a directory',
  ENOTDIR: 'a part of the path is not a directory',
}

/**
 * Reads the secret in `path` (one trailing newline removed, as `echo` and editors add one).
 * `variable` names the setting in messages; a file others may read is a warning.
 */
export function readSecretFile(variable: string, path: string, fs: FileReader): SecretFileResult {
  let text: string
  let mode: number
  try {
    text = fs.readFile(path)
    mode = fs.stat(path).mode
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? ''
    return {
      ok: false,
      issue: `${variable}: cannot read "${path}" (${REASONS[code] ?? code ?? 'unreadable'}); give the path of a file holding only the secret`,
    }
  }
  const value = text.replace(/\r?\n$/, '')
  if (value.trim() === '') return { ok: false, issue: `${variable}: "${path}" is empty` }
  const warning =
    (mode & 0o077) !== 0
      ? `${variable}: "${path}" can be read by other users (mode ${(mode & 0o777).toString(8)}); chmod 600 it`
      : undefined
  return { ok: true, value, warning }
}

/**
 * The soul and the broker password, from their variables or their files (`NARA_SOUL_FILE`,
 * `MQTT_PASS_FILE`); `issues` name the variable, `warnings` the files others can read.
 */
export function resolveSecrets(
  e: { NARA_SOUL?: string; NARA_SOUL_FILE?: string; MQTT_PASS?: string; MQTT_PASS_FILE?: string },
  fs: FileReader,
  isValidSoul: (soul: string) => boolean,
) {
  const issues: string[] = []
  const warnings: string[] = []
  const fromFile = (variable: string, path: string | undefined, other: string, set: boolean) => {
    if (path === undefined) return undefined
    if (set) {
      issues.push(`${variable}: set ${other} or ${variable}, not both`)
      return undefined
    }
    const read = readSecretFile(variable, path, fs)
    if (!read.ok) {
      issues.push(read.issue)
      return undefined
    }
    if (read.warning) warnings.push(read.warning)
    return read.value
  }
  let soul = e.NARA_SOUL?.trim()
  const soulFromFile = fromFile('NARA_SOUL_FILE', e.NARA_SOUL_FILE, 'NARA_SOUL', soul !== undefined)
  if (soulFromFile !== undefined) {
    soul = soulFromFile.trim()
    if (!isValidSoul(soul))
      issues.push(`NARA_SOUL_FILE: "${e.NARA_SOUL_FILE}" does not hold ${SOUL_RULE}`)
  }
  const passFromFile = fromFile(
    'MQTT_PASS_FILE',
    e.MQTT_PASS_FILE,
    'MQTT_PASS',
    e.MQTT_PASS !== undefined,
  )
  return { soul, pass: e.MQTT_PASS ?? passFromFile, issues, warnings }
}
