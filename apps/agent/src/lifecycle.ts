/**
 * The agent's start and stop. `start()` prepares (identity, plaza, wiring) and connects;
 * `stop()` (or an abort of the agent's signal) halts at once, then takes its steps in order: the
 * services' timers, chau, disconnect, the listeners, and the last saves. Each step that can stall
 * is bounded by `stopStepMs`, so a stalled socket cannot hold the stop.
 */
import { safely } from './agent-context.js'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'
import type { PlazaPort } from './plaza-port.js'

export interface LifecycleOptions {
  clock: Clock
  /** The agent's current logger (bound to its name once known). */
  log: () => Logger
  /** Bound of each stop step, ms on `clock` (default 3000). */
  stopStepMs: number | undefined
  /** Aborting it stops the agent. */
  signal: AbortSignal | undefined
  /** start() up to the connect; it checks `halting()` after each of its awaits. */
  prepare: () => Promise<void>
  /** The plaza, once prepared. */
  plaza: () => PlazaPort | undefined
  /** Whether the plaza was ever connected (to say why no chau went out). */
  everConnected: () => boolean
  /** Stops the timers of every service. */
  stopServices: () => void
  /** Runs after the disconnect (listeners off). */
  afterDisconnect: () => void
  /** The last steps, each bounded, in order (saving the run state, closing the server). */
  finalSteps: () => ReadonlyArray<readonly [what: string, step: () => Promise<unknown>]>
}

export interface Lifecycle {
  start(): Promise<void>
  /** Idempotent; resolves once every step finished or timed out. */
  stop(): Promise<void>
  /** True from the moment stop() is called: from then on nothing connects, joins or reports a loss. */
  halting(): boolean
}

/** Says whether the chau went out, and if not, why (the others will see this nara MISSING). */
function logChau(log: Logger, sent: boolean, connected: boolean, everConnected: boolean): void {
  if (sent) log.info({}, 'said chau')
  else if (!everConnected) log.warn({}, 'no chau said: never connected to the plaza')
  else if (!connected) log.warn({}, 'no chau said: not connected to the plaza')
  else log.warn({}, 'no chau said: the publish failed')
}

export function createLifecycle(o: LifecycleOptions): Lifecycle {
  let started = false
  let halting = false
  let setup: Promise<void> | undefined
  let stopping: Promise<void> | undefined

  /** Waits for a stop step at most `stopStepMs`; true when it finished in time. */
  const bounded = (what: string, p: Promise<unknown>): Promise<boolean> => {
    const ms = o.stopStepMs ?? 3000
    return new Promise<boolean>((resolve) => {
      const timer = o.clock.setTimeout(() => {
        o.log().warn({ step: what, ms }, 'stop step did not finish in time; going on without it')
        resolve(false)
      }, ms)
      void safely(o.log(), what, p).then(() => {
        o.clock.clearTimeout(timer)
        resolve(true)
      })
    })
  }

  const steps = async (): Promise<void> => {
    if (setup) await bounded('start', setup)
    o.stopServices()
    const p = o.plaza()
    if (p) {
      // The chau is written to the socket now, then the plaza's stop stops reading inbound
      // messages at once and disconnects (the DISCONNECT follows the chau on the socket).
      // Awaiting the chau first would keep verifying a backlog of inbound traffic, and a chau
      // stuck behind a full socket buffer (waiting for 'drain') would hold the stop forever.
      const connected = p.connected()
      let sent = false
      const chau = p.sayChau().then((ok) => {
        sent = ok
      })
      const disconnect = p.stop()
      if (await bounded('chau', chau)) logChau(o.log(), sent, connected, o.everConnected())
      await bounded('disconnect', disconnect)
    }
    o.afterDisconnect()
    for (const [what, step] of o.finalSteps()) await bounded(what, step())
  }

  const lifecycle: Lifecycle = {
    async start() {
      if (started || halting) return
      started = true
      setup = o.prepare()
      await setup
      // A stop() during the setup wins: the plaza is never started.
      const p = o.plaza()
      if (halting || !p) return
      // Connects, or keeps retrying in the background; the plaza says the join hey_there itself.
      await p.start()
    },
    stop() {
      if (stopping) return stopping
      halting = true
      stopping = steps()
      return stopping
    },
    halting: () => halting,
  }
  if (o.signal?.aborted) void lifecycle.stop()
  else o.signal?.addEventListener('abort', () => void lifecycle.stop(), { once: true })
  return lifecycle
}
