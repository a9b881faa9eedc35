import { type ChildProcess, spawn } from 'node:child_process'
import { waitForPort } from './wait-for-port.js'

/** One broker child process that can be stopped, killed and launched again (same arguments). */
export interface BrokerProcess {
  /** Spawns the program and resolves once every port accepts TCP connections. */
  launch(): Promise<void>
  /** Sends `signal` and waits for the exit; a no-op when not running. */
  signal(sig: NodeJS.Signals): Promise<void>
  running(): boolean
  /** The running process's id (for CPU accounting in benchmarks), or undefined. */
  pid(): number | undefined
  /** The last 64 kB of what the program wrote to stdout and stderr. */
  log(): string
}

/**
 * Runs `bin args` as a broker: output kept for error messages, `launch()` bounded by
 * `startTimeoutMs` (the error names the program, the port and its log), an early exit noticed
 * at once instead of waiting out the timeout.
 */
export function brokerProcess(options: {
  label: string
  bin: string
  args: readonly string[]
  ports: readonly number[]
  startTimeoutMs?: number
}): BrokerProcess {
  let child: ChildProcess | undefined
  let exited: Promise<void> = Promise.resolve()
  let output = ''

  const launch = async (): Promise<void> => {
    const proc = spawn(options.bin, [...options.args], { stdio: ['ignore', 'pipe', 'pipe'] })
    child = proc
    const keep = (chunk: Buffer) => {
      output = (output + chunk.toString('utf8')).slice(-64_000)
    }
    proc.stdout?.on('data', keep)
    proc.stderr?.on('data', keep)
    const died = new AbortController()
    exited = new Promise<void>((resolve) => {
      const gone = (reason: Error) => {
        died.abort(reason)
        if (child === proc) child = undefined
        resolve()
      }
      proc.once('exit', (code, sig) => gone(new Error(`${options.label} exited (${code ?? sig})`)))
      proc.once('error', gone)
    })
    const timeoutMs = options.startTimeoutMs ?? 10_000
    try {
      for (const port of options.ports) await waitForPort(port, { timeoutMs, signal: died.signal })
    } catch (err) {
      proc.kill('SIGKILL')
      await exited
      const reason = err instanceof Error ? err.message : String(err)
      throw new Error(
        `${options.label} did not start on port ${options.ports.join(', ')}: ${reason}\n${output}`,
      )
    }
  }

  return {
    launch,
    signal: async (sig) => {
      const proc = child
      if (proc === undefined) return
      proc.kill(sig)
      await exited
    },
    running: () => child !== undefined,
    pid: () => child?.pid,
    log: () => output,
  }
}
