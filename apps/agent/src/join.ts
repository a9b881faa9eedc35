/**
 * What the agent does at and after a (re)connect (WIRE.md §1.3). The plaza says the join
 * hey_there itself, a uniform random jitter after each subscribe; once it went out, the presence
 * period restarts, and after the first one the periodic services start (the first newspaper goes
 * out at once). Connection changes are logged here, once per change: connected, lost, a first
 * failure to connect (and a failure of another kind); a retry that fails the same way is debug.
 */
import type { AgentContext, On } from './agent-context.js'
import { redactUrl } from './broker-url.js'

export interface JoinOptions {
  brokerUrl: string
  /** True once the agent is stopping: nothing joins any more, and a disconnect is no loss. */
  halting: () => boolean
  /** After each join hey_there (the presence period restarts). */
  onHeyThere: () => void
  /** Once, after the first join hey_there: the periodic services start. */
  onFirstJoin: () => void
}

export interface Join {
  /** Whether the broker connection is up. */
  connected(): boolean
  /** Whether it was ever up. */
  everConnected(): boolean
}

export function createJoin(ctx: AgentContext, o: JoinOptions, on: On): Join {
  const { log } = ctx
  const broker = redactUrl(o.brokerUrl)
  let connected = false
  let everConnected = false
  let joined = false
  /** The problem logged last while down (`lost`: the loss itself); undefined while up. */
  let problem: string | undefined

  on('connected', ({ reconnect }) => {
    if (!connected) log.info({ broker }, 'connected to the plaza')
    if (reconnect) ctx.metrics.reconnect()
    connected = true
    everConnected = true
    problem = undefined
  })
  on('hey-there-sent', ({ join }) => {
    if (!join || o.halting()) return
    o.onHeyThere()
    if (joined) return
    joined = true
    o.onFirstJoin()
  })
  on('disconnected', ({ reason }) => {
    // Our own stop() disconnects on purpose: that is not a loss, and nothing retries.
    if (connected && !o.halting()) {
      log.warn({ broker, reason }, 'lost the plaza; retrying')
      problem = 'lost'
    } else if (connected) log.debug({ broker }, 'disconnected')
    connected = false
  })
  on('error', ({ code, message }) => {
    if (o.halting()) return
    // The loss itself was logged; a retry failing the same way as the last one is no news.
    if (problem === 'lost' || problem === code) {
      if (problem === 'lost') problem = code
      log.debug({ broker, code, err: message }, 'plaza connection problem')
      return
    }
    problem = code
    const what = everConnected ? 'cannot reach the plaza again' : 'cannot reach the plaza'
    log.warn({ broker, code, err: message }, `${what}; retrying`)
  })
  return { connected: () => connected, everConnected: () => everConnected }
}
