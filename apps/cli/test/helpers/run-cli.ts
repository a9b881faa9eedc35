/**
 * Runs the BUILT `nara` binary (`dist/main.js`) as a real child process. Tests wait for its
 * output with an overall timeout; nothing here measures time.
 */
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

export const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..')
export const binPath = path.join(cliRoot, 'dist', 'main.js')

export function assertBuilt(): void {
  if (!existsSync(binPath)) {
    throw new Error(
      `${binPath} is missing: build first (cd apps/cli && npx tsc -p tsconfig.build.json, or turbo run test)`,
    )
  }
}

/** The variables a test process starts from: no ambient nara config, no colour. */
export function cleanEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const key of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR']) {
    if (process.env[key] !== undefined) env[key] = process.env[key]
  }
  for (const [k, v] of Object.entries(extra)) if (v !== undefined) env[k] = v
  return env
}

export interface RunResult {
  code: number | null
  signal: NodeJS.Signals | null
  stdout: string
  stderr: string
}

export interface RunOptions {
  stdin?: string | Uint8Array
  env?: Record<string, string | undefined>
  /** Overall bound on the run; the process is killed after it. */
  timeoutMs?: number
}

/** Runs `node dist/main.js ...args` to completion. */
export function runNara(args: string[], options: RunOptions = {}): Promise<RunResult> {
  assertBuilt()
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [binPath, ...args], {
      env: cleanEnv(options.env),
      stdio: ['pipe', 'pipe', 'pipe'],
    })
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d
    })
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d
    })
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(
        new Error(
          `nara ${args.join(' ')} did not finish in time\nstdout: ${stdout}\nstderr: ${stderr}`,
        ),
      )
    }, options.timeoutMs ?? 20_000)
    child.on('error', reject)
    child.on('close', (code, signal) => {
      clearTimeout(timer)
      resolve({ code, signal, stdout, stderr })
    })
    child.stdin.on('error', () => {})
    child.stdin.end(options.stdin ?? '')
  })
}

/** A long-running `nara` process whose stdout lines can be awaited. */
export interface NaraProcess {
  child: ChildProcessWithoutNullStreams
  lines: string[]
  stderr(): string
  /** Resolves with the first stdout line (already seen or future) matching `predicate`. */
  waitForLine(predicate: (line: string) => boolean, timeoutMs?: number): Promise<string>
  /** Resolves once stderr contains `text`. */
  waitForStderr(text: string, timeoutMs?: number): Promise<void>
  /** Resolves with the exit code when the process ends by itself. */
  exited: Promise<number | null>
  /** Sends SIGINT and resolves with the exit code. */
  stop(): Promise<number | null>
}

export function startNara(args: string[], options: RunOptions = {}): NaraProcess {
  assertBuilt()
  const child = spawn(process.execPath, [binPath, ...args], {
    env: cleanEnv(options.env),
    stdio: ['pipe', 'pipe', 'pipe'],
  })
  const lines: string[] = []
  let stderr = ''
  let buffer = ''
  const stderrWaiters: { text: string; resolve: () => void }[] = []
  const waiters: { predicate: (l: string) => boolean; resolve: (l: string) => void }[] = []
  child.stdout.setEncoding('utf8').on('data', (d: string) => {
    buffer += d
    let nl = buffer.indexOf('\n')
    while (nl >= 0) {
      const line = buffer.slice(0, nl)
      buffer = buffer.slice(nl + 1)
      lines.push(line)
      for (const w of [...waiters]) {
        if (w.predicate(line)) {
          waiters.splice(waiters.indexOf(w), 1)
          w.resolve(line)
        }
      }
      nl = buffer.indexOf('\n')
    }
  })
  child.stderr.setEncoding('utf8').on('data', (d: string) => {
    stderr += d
    for (const w of [...stderrWaiters]) {
      if (stderr.includes(w.text)) {
        stderrWaiters.splice(stderrWaiters.indexOf(w), 1)
        w.resolve()
      }
    }
  })
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)))
  return {
    child,
    lines,
    stderr: () => stderr,
    waitForLine(predicate, timeoutMs = 20_000) {
      const seen = lines.find(predicate)
      if (seen !== undefined) return Promise.resolve(seen)
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(
              `no matching line from nara ${args.join(' ')}\nstdout:\n${lines.join('\n')}\nstderr:\n${stderr}`,
            ),
          )
        }, timeoutMs)
        waiters.push({
          predicate,
          resolve: (line) => {
            clearTimeout(timer)
            resolve(line)
          },
        })
      })
    },
    exited,
    waitForStderr(text, timeoutMs = 20_000) {
      if (stderr.includes(text)) return Promise.resolve()
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          reject(
            new Error(`nara ${args.join(' ')} never wrote "${text}" to stderr\nstderr:\n${stderr}`),
          )
        }, timeoutMs)
        stderrWaiters.push({
          text,
          resolve: () => {
            clearTimeout(timer)
            resolve()
          },
        })
      })
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGINT')
      return exited
    },
  }
}
