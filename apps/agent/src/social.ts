/**
 * The social plaza (`nara/plaza/social`, WIRE.md §6.5): the teases this nara sends, now and then
 * on its own, and the social events it hears (kept for /status).
 */
import { type AgentContext, type On, safely } from './agent-context.js'
import { randomInt } from './clock.js'

/** Most recent social events kept for /status. */
const RECENT_MAX = 20

export interface RecentSocial {
  atMs: number
  type: string
  actor: string
  target: string
  reason: string
}

export interface Social {
  /** Teases a neighbour (signed). */
  tease(target: string, reason: string): Promise<void>
  /** Now and then, a sociable nara teases a random ONLINE neighbour (about 1 newspaper in 20). */
  maybeTease(sociability: number): void
  /** Social events heard, oldest first. */
  recent(): readonly RecentSocial[]
}

export function createSocial(ctx: AgentContext, on: On): Social {
  const { identity: id, table, metrics, buzz, clock, log } = ctx
  const recent: RecentSocial[] = []
  on('social', ({ message }) => {
    metrics.messageIn('social')
    const s = message.social
    if (!s) return
    const actor = s.actor ?? message.emitter ?? ''
    if (actor === id.name) return
    if (message.emitter) {
      table.observe(message.emitter, 'social', { standing: ctx.plaza.hasStanding(message.emitter) })
    }
    buzz.bump(5)
    const target = s.target ?? ''
    const reason = s.reason ?? ''
    recent.push({ atMs: clock.now(), type: s.type, actor, target, reason })
    if (recent.length > RECENT_MAX) recent.shift()
    log.info({ type: s.type, actor, target: s.target, reason: s.reason }, 'social event')
  })
  const social: Social = {
    async tease(target, reason) {
      const n = table.get(target)
      await ctx.plaza.publishSocial({ type: 'tease', target, target_id: n?.naraId, reason })
      log.info({ target, reason }, 'teased a neighbour')
    },
    maybeTease(sociability) {
      if (ctx.random() >= sociability / 2000) return
      const online = table.list().filter((n) => n.state === 'ONLINE' && !n.hearsay)
      const target = online[randomInt(ctx.random, online.length)]
      if (target) void safely(log, 'tease', social.tease(target.name, 'random'))
    },
    recent: () => recent,
  }
  return social
}
