/**
 * What the parts of a started agent share: its identity, the plaza, the neighbourhood table, the
 * metrics and its own view of itself. Built once the identity is loaded (see `agent.ts`).
 */
import type { NaraStatus } from '@nara/protocol'
import type { Buzz } from './chattiness.js'
import type { Clock, Random } from './clock.js'
import type { Identity } from './identity-store.js'
import type { Logger } from './logger.js'
import type { AgentMetrics } from './metrics.js'
import type { Neighbourhood } from './neighbourhood.js'
import type { OwnView } from './own-view.js'
import type { PlazaEventKind, PlazaEvents, PlazaPort } from './plaza-port.js'

export interface AgentContext {
  identity: Identity
  /** The agent's logger, bound to its name. */
  log: Logger
  clock: Clock
  random: Random
  plaza: PlazaPort
  table: Neighbourhood<NaraStatus>
  metrics: AgentMetrics
  buzz: Buzz
  own: OwnView
}

/** Subscribes a listener to one plaza event kind for the agent's lifetime. */
export type On = <K extends PlazaEventKind>(
  kind: K,
  listener: (event: PlazaEvents[K]) => void,
) => void

/** Runs a background step; a failure is logged, never thrown. */
export function safely(log: Logger, what: string, p: Promise<unknown>): Promise<void> {
  return p.then(
    () => undefined,
    (err: unknown) => log.warn({ err: (err as Error).message }, `${what} failed`),
  )
}
