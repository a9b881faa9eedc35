import { connect } from 'node:net'
import { setTimeout as delay } from 'node:timers/promises'

/**
 * Polls a TCP connect to `host:port` until it succeeds. Bounded: gives up after `timeoutMs`
 * (default 10 s). `abort` lets the caller stop early (e.g. the child process already exited).
 */
export async function waitForPort(
  port: number,
  options: { host?: string; timeoutMs?: number; intervalMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const host = options.host ?? '127.0.0.1'
  const deadline = Date.now() + (options.timeoutMs ?? 10_000)
  const interval = options.intervalMs ?? 25
  let lastError: unknown
  while (Date.now() < deadline) {
    options.signal?.throwIfAborted()
    try {
      await tryConnect(host, port)
      return
    } catch (err) {
      lastError = err
    }
    await delay(interval)
  }
  throw new Error(
    `port ${host}:${port} did not accept TCP connections within ${options.timeoutMs ?? 10_000} ms` +
      (lastError instanceof Error ? ` (last error: ${lastError.message})` : ''),
  )
}

/** One TCP connect, given up after 1 s (a listener that never answers must not stall the poll). */
function tryConnect(host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port })
    socket.setTimeout(1000, () => {
      socket.destroy()
      reject(new Error(`connect to ${host}:${port} timed out`))
    })
    socket.once('connect', () => {
      socket.destroy()
      resolve()
    })
    socket.once('error', (err) => {
      socket.destroy()
      reject(err)
    })
  })
}
