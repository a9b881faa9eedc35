/**
 * What the plaza reports besides messages: drops, key conflicts and what went out, counted for
 * /status and /metrics; and the kinds the agent only counts.
 */
import type { AgentContext, On } from './agent-context.js'

/** Most recent key conflicts kept for /status. */
const RECENT_MAX = 20

export interface RecentConflict {
  atMs: number
  name: string
  topic: string
}

/** Wires the handlers; returns the recent key conflicts (oldest first), for /status. */
export function onDiagnostics(ctx: AgentContext, on: On): () => readonly RecentConflict[] {
  const { metrics, clock, log } = ctx
  const recentConflicts: RecentConflict[] = []
  for (const kind of ['ledger_request', 'ledger_response', 'journey_complete'] as const) {
    // Counted only: their contents are unauthenticated (WIRE §12.15).
    on(kind, () => metrics.messageIn(kind))
  }
  on('key-conflict', ({ name, topic }) => {
    metrics.keyConflict()
    recentConflicts.push({ atMs: clock.now(), name, topic })
    if (recentConflicts.length > RECENT_MAX) recentConflicts.shift()
    log.warn({ peer: name, topic }, 'key conflict: a message used a key other than the pinned one')
  })
  on('drop', ({ reason, topic, kind, claimedSender, detail }) => {
    metrics.drop(reason, kind, detail)
    log.debug({ reason, topic, kind, claimedSender, detail }, 'dropped')
  })
  on('published', ({ topic }) => metrics.messageOut(topic))
  on('verified', ({ count, seconds }) => metrics.verified(count, seconds))
  return () => recentConflicts
}
