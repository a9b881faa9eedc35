/**
 * Reading inputs: all of stdin, stdin line by line, and small files, with errors that say which
 * file and what to do.
 */
import { readFile, writeFile } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { InputError } from './errors.js'

/** Reads stdin to the end as bytes. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Uint8Array> {
  const chunks: Buffer[] = []
  for await (const chunk of stream) {
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk as Uint8Array))
  }
  const all = Buffer.concat(chunks)
  return new Uint8Array(all.buffer, all.byteOffset, all.byteLength)
}

/** Yields stdin line by line (without the line break). */
export async function* readLines(stream: NodeJS.ReadableStream): AsyncGenerator<string> {
  const rl = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY })
  for await (const line of rl) yield line
}

/** Reads a UTF-8 text file, or throws an InputError naming it. */
export async function readTextFile(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8')
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code
    throw new InputError(
      `cannot read ${what} ${path}: ${why ?? 'unknown error'}`,
      `check the path given for the ${what}`,
      cause,
    )
  }
}

/** Reads and parses a JSON file, or throws an InputError naming it. */
export async function readJsonFile(path: string, what: string): Promise<unknown> {
  const text = await readTextFile(path, what)
  try {
    return JSON.parse(text)
  } catch (cause) {
    throw new InputError(
      `${what} ${path} is not valid JSON: ${(cause as Error).message}`,
      `fix the JSON in ${path}`,
      cause,
    )
  }
}

/**
 * Writes a secret (a soul) to a NEW file with mode 0600; refuses to overwrite an existing file,
 * so a soul is never lost to a typo.
 */
export async function writeSecretFile(path: string, text: string, what: string): Promise<void> {
  try {
    await writeFile(path, text, { mode: 0o600, flag: 'wx' })
  } catch (cause) {
    const code = (cause as NodeJS.ErrnoException).code
    if (code === 'EEXIST') {
      throw new InputError(
        `${path} already exists: refusing to overwrite it with a new ${what}`,
        'pick another file name, or move the old file away if you really mean to replace it',
        cause,
      )
    }
    throw new InputError(
      `cannot write ${what} ${path}: ${code ?? 'unknown error'}`,
      undefined,
      cause,
    )
  }
}
