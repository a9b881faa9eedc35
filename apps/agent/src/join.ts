/**
 * Everything the agent does at and after a (re)connect (WIRE.md §1.3): once the plaza is
 * subscribed, a hey_there after a uniform random jitter; after the first one, the periodic
 * services start (the first newspaper goes out at once). After a reconnect: a new jittered
 * hey_there. Connection changes are logged here too.
 */
import { type AgentContext, type On, safely } from './agent-context.js'
import { randomInt, type TimerHandle } from './clock.js'
import { redactUrl } from './config.js'

export interface JoinOptions {
  brokerUrl: string
  /** Upper bound (exclusive) of the jitter before each join hey_there, ms. */
  jitterMaxMs: number
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
  /** Cancels a pending join hey_there. */
  stop(): void
}

export function createJoin(ctx: AgentContext, o: JoinOptions, on: On): Join {
  const { clock, log } = ctx
  const broker = redactUrl(o.brokerUrl)
  let connected = false
  let joined = false
  let timer: TimerHandle | undefined

  const heyThere = (): void => {
    timer = undefined
    if (o.halting()) return
    void safely(log, 'hey_there', ctx.plaza.sayHeyThere())
    o.onHeyThere()
    if (joined) return
    joined = true
    o.onFirstJoin()
  }

  on('connected', ({ reconnect }) => {
    if (!connected) log.info({ broker }, 'connected to the plaza')
    if (reconnect) ctx.metrics.reconnect()
    connected = true
  })
  on('subscribed', () => {
    if (timer) clock.clearTimeout(timer)
    timer = clock.setTimeout(heyThere, randomInt(ctx.random, o.jitterMaxMs))
  })
  on('disconnected', ({ reason }) => {
    // Our own stop() disconnects on purpose: that is not a loss, and nothing retries.
    if (connected && !o.halting()) log.warn({ broker, reason }, 'lost the plaza; retrying')
    else if (connected) log.debug({ broker }, 'disconnected')
    connected = false
  })
  return {
    connected: () => connected,
    stop() {
      if (timer) clock.clearTimeout(timer)
      timer = undefined
    },
  }
}
