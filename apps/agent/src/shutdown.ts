/**
 * The process lifecycle around the agent or town: one AbortController wired to SIGINT, SIGTERM
 * and SIGHUP (a closed terminal stops the agent like Ctrl-C). The first signal starts a clean
 * stop (every nara says chau, then disconnects) and arms an overall deadline; a second signal
 * exits at once (130). One Ctrl-C can arrive twice within milliseconds (the terminal signals the
 * whole process group, and a parent such as `pnpm start` forwards its own copy): a repeat within
 * `repeatGraceMs` of the first is the same keypress, not a second one. If the stop has not finished by the deadline, what still keeps the process
 * alive is logged and the process exits 0 anyway: chau went out first, and each step of an
 * agent's stop is bounded on its own, so the deadline is a safety net, not the normal path.
 */
import type { Clock, TimerHandle } from './clock.js'
import type { Logger } from './logger.js'

export const SHUTDOWN_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP']

/** The slice of `process` used (a fake in tests). */
export interface ProcessLike {
  on(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown
  off(event: NodeJS.Signals, listener: (signal: NodeJS.Signals) => void): unknown
}

export interface ShutdownOptions {
  proc: ProcessLike
  clock: Clock
  logger: Logger
  /** From the first signal to a forced exit 0, ms. */
  deadlineMs: number
  /** Ends the process (`process.exit` after flushing the logs). */
  exit: (code: number) => void
  /** Writes a line to stderr (never throws). */
  stderr: (text: string) => void
  /** What still keeps the process alive (see {@link openResources}). */
  openResources: () => OpenResources
  /** Log what is still open after every stop, not only at the deadline. */
  reportOpenAfterStop?: boolean
  /** A repeat signal this soon after the first is the same one delivered twice, ms (default 1000). */
  repeatGraceMs?: number
}

export interface Shutdown {
  /** Aborted by the first signal. */
  signal: AbortSignal
  /** Resolves at the first signal. */
  requested: Promise<NodeJS.Signals>
  /** Runs the stop under the deadline; resolves with the exit code (0). */
  stop(run: () => Promise<void>): Promise<number>
  /** Removes the signal listeners. */
  dispose(): void
}

export function createShutdown(options: ShutdownOptions): Shutdown {
  const { proc, clock, logger } = options
  const controller = new AbortController()
  let signals = 0
  let firstAtMs = 0
  const repeatGraceMs = options.repeatGraceMs ?? 1000
  let deadline: TimerHandle | undefined
  let resolveRequested: (signal: NodeJS.Signals) => void = () => undefined
  const requested = new Promise<NodeJS.Signals>((resolve) => {
    resolveRequested = resolve
  })

  const onSignal = (signal: NodeJS.Signals) => {
    if (signals > 0 && clock.now() - firstAtMs < repeatGraceMs) {
      logger.debug({ signal }, 'same signal delivered twice (process group and parent); ignored')
      return
    }
    signals += 1
    if (signals > 1) {
      options.stderr(`nara: second ${signal}, exiting at once\n`)
      options.exit(130)
      return
    }
    firstAtMs = clock.now()
    logger.info({ signal }, 'stopping')
    deadline = clock.setTimeout(() => {
      const open = options.openResources()
      logger.warn(
        { deadlineMs: options.deadlineMs, open },
        'stop deadline reached; exiting with these still open',
      )
      options.stderr(
        `nara: stop deadline (${options.deadlineMs} ms) reached; still open: ${JSON.stringify(open)}\n`,
      )
      options.exit(0)
    }, options.deadlineMs)
    controller.abort(signal)
    resolveRequested(signal)
  }
  for (const s of SHUTDOWN_SIGNALS) proc.on(s, onSignal)

  return {
    signal: controller.signal,
    requested,
    async stop(run) {
      await run()
      if (deadline) clock.clearTimeout(deadline)
      if (options.reportOpenAfterStop) {
        logger.debug({ open: options.openResources() }, 'stopped; still open before exit')
      }
      return 0
    },
    dispose() {
      for (const s of SHUTDOWN_SIGNALS) proc.off(s, onSignal)
      if (deadline) clock.clearTimeout(deadline)
    },
  }
}

/** What keeps a Node process alive, summarized for a log line. */
export interface OpenResources {
  /** `process.getActiveResourcesInfo()` counted by type (Timeout, TCPSocketWrap, FSReqCallback…). */
  byType: Record<string, number>
  /** Open sockets: local and remote endpoints. */
  sockets: string[]
  /** Listening servers. */
  servers: string[]
  /** Other handle kinds by constructor name (worker threads show as MessagePort / Worker). */
  handles: Record<string, number>
}

interface HandleLike {
  constructor?: { name?: string }
  remoteAddress?: string
  remotePort?: number
  localAddress?: string
  localPort?: number
  address?: () => unknown
  listening?: boolean
}

/** Reads the process's active resources (Node ≥ 17 `getActiveResourcesInfo`, and handles). */
export function openResources(p: NodeJS.Process = process): OpenResources {
  const byType: Record<string, number> = {}
  for (const r of p.getActiveResourcesInfo()) byType[r] = (byType[r] ?? 0) + 1
  const sockets: string[] = []
  const servers: string[] = []
  const handles: Record<string, number> = {}
  const raw = (p as unknown as { _getActiveHandles?: () => HandleLike[] })._getActiveHandles?.()
  for (const h of raw ?? []) {
    const kind = h.constructor?.name ?? 'unknown'
    if (kind === 'Socket' && h.remotePort !== undefined) {
      sockets.push(`${h.localAddress}:${h.localPort} -> ${h.remoteAddress}:${h.remotePort}`)
    } else if (kind === 'Server' && h.listening) {
      const a = h.address?.() as { address?: string; port?: number } | string | null
      servers.push(typeof a === 'string' ? a : `${a?.address}:${a?.port}`)
    } else {
      handles[kind] = (handles[kind] ?? 0) + 1
    }
  }
  return { byType, sockets, servers, handles }
}
