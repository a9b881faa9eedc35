/**
 * Spawns the built agent (`dist/main.js`) as a real process and watches it through its
 * /status endpoint. Waiting is done by polling with a generous overall timeout.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort } from '@nara/vitest-config/brokers'

export const MAIN = fileURLToPath(new URL('../../dist/main.js', import.meta.url))

/** Short timings so a test sees in seconds what takes minutes on the real plaza. */
export const FAST_ENV: Record<string, string> = {
  NARA_LOG_PRETTY: 'false',
  NARA_LOG_LEVEL: 'info',
  NARA_CHATTINESS: '100',
  NARA_JOIN_JITTER_MAX_MS: '300',
  NARA_HOWDY_DELAY_MAX_MS: '1000',
  NARA_NEWSPAPER_PERIOD_S: '1',
  NARA_MISSING_AFTER_S: '5',
}

export interface AgentProcess {
  proc: ChildProcess
  httpPort: number
  dataDir: string
  status(): Promise<StatusDoc>
  /** Polls /status until `predicate` holds; throws with the last status after `timeoutMs`. */
  waitFor(predicate: (s: StatusDoc) => boolean, timeoutMs?: number): Promise<StatusDoc>
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  output(): string
  alive(): boolean
}

// biome-ignore lint/suspicious/noExplicitAny: a JSON document read from /status
export type StatusDoc = any

export async function spawnAgent(options: {
  brokerUrl: string
  env?: Record<string, string>
  dataDir?: string
  /** Default: a free port. */
  httpPort?: number
}): Promise<AgentProcess> {
  const httpPort = options.httpPort ?? (await freePort())
  const dataDir = options.dataDir ?? mkdtempSync(join(tmpdir(), 'nara-it-'))
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? tmpdir(),
    MQTT_HOST: options.brokerUrl,
    NARA_DATA_DIR: dataDir,
    NARA_HTTP_PORT: String(httpPort),
    ...FAST_ENV,
    ...options.env,
  }
  const proc = spawn(process.execPath, [MAIN], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  let out = ''
  proc.stdout?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  proc.stderr?.on('data', (d: Buffer) => {
    out += d.toString()
  })
  let alive = true
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.once('exit', (code, signal) => {
      alive = false
      resolve({ code, signal })
    }),
  )
  const status = async () => {
    const res = await fetch(`http://127.0.0.1:${httpPort}/status`)
    return (await res.json()) as StatusDoc
  }
  const waitFor = async (predicate: (s: StatusDoc) => boolean, timeoutMs = 25_000) => {
    const deadline = Date.now() + timeoutMs
    let last: StatusDoc
    let lastError: unknown
    for (;;) {
      if (!alive) throw new Error(`agent exited while waiting; output:\n${out.slice(-3000)}`)
      try {
        last = await status()
        if (predicate(last)) return last
      } catch (err) {
        // not listening yet
        lastError = err
      }
      if (Date.now() > deadline) {
        const seen =
          last === undefined
            ? `no status answered (last error: ${String(lastError)}); output:\n${out.slice(-3000)}`
            : `last status:\n${JSON.stringify(last, null, 1).slice(0, 4000)}`
        throw new Error(`condition not reached in ${timeoutMs} ms; ${seen}`)
      }
      await new Promise((r) => setTimeout(r, 200))
    }
  }
  return { proc, httpPort, dataDir, status, waitFor, exited, output: () => out, alive: () => alive }
}

/** State of `name` in a nara's /status neighbourhood. */
export function stateOf(status: StatusDoc, name: string): string | undefined {
  return status.neighbourhood?.find((n: { name: string }) => n.name === name)?.state
}

/** Stops a process politely (SIGTERM) if still running. */
export async function stopAgent(a: AgentProcess | undefined): Promise<void> {
  if (!a?.alive()) return
  a.proc.kill('SIGTERM')
  await a.exited
}
