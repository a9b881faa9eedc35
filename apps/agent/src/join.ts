/**
 * What the agent does at and after a (re)connect (WIRE.md §1.3). The plaza says the join
 * hey_there itself, a uniform random jitter after each subscribe; once it went out, the presence
 * period restarts, and after the first one the periodic services start (the first newspaper goes
 * out at once). Connection changes are logged here too.
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
}

export function createJoin(ctx: AgentContext, o: JoinOptions, on: On): Join {
  const { log } = ctx
  const broker = redactUrl(o.brokerUrl)
  let connected = false
  let joined = false

  on('connected', ({ reconnect }) => {
    if (!connected) log.info({ broker }, 'connected to the plaza')
    if (reconnect) ctx.metrics.reconnect()
    connected = true
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
    if (connected && !o.halting()) log.warn({ broker, reason }, 'lost the plaza; retrying')
    else if (connected) log.debug({ broker }, 'disconnected')
    connected = false
  })
  return { connected: () => connected }
}
