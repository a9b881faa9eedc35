/**
 * A running nara: identity, the plaza connection, and the behaviour of WIRE.md §6-§7 on top,
 * wired here from one module each: the join (`join.ts`), the inbound handlers (`inbound-*.ts`,
 * `social.ts`), the services (howdy self-selection, newspapers, presence toward Go naras,
 * checkpoint consensus: `agent-services.ts`), the /status document (`status-document.ts`) and
 * start/stop (`agent-start.ts`, `lifecycle.ts`).
 */
import type { CheckpointProposal, NaraStatus } from '@nara/protocol'
import type { HowdyAnswerLimits } from './agent-services.js'
import { type Env, type Parts, prepare, type Running } from './agent-start.js'
import { createBuzz } from './chattiness.js'
import { type Clock, type Random, systemClock } from './clock.js'
import type { BrokerConfig, Timings } from './config.js'
import type { HowdyBoard } from './howdy-coordinator.js'
import type { Identity, RunState } from './identity-store.js'
import { createLifecycle } from './lifecycle.js'
import type { Logger } from './logger.js'
import type { AgentMetrics } from './metrics.js'
import type { Neighbourhood } from './neighbourhood.js'
import { cpuSampler } from './own-status.js'
import type { PlazaPort } from './plaza-port.js'
import { type StatusDocument, statusDocument } from './status-document.js'
import type { HttpEndpoint } from './status-server.js'

export type { RecentSocial } from './social.js'
export type { StatusDocument } from './status-document.js'

export interface AgentOptions {
  broker: BrokerConfig
  dataDir: string
  /** Forced chattiness 0..100. */
  chattiness: number | undefined
  timings: Timings
  /**
   * Serve /status and /metrics here (and `routes`: the web page at `/`); undefined = no server
   * (town mode serves one for all).
   */
  http: HttpEndpoint | undefined
  logger: Logger
  /**
   * Bound of each step of `stop()` (chau, disconnect, saving the run state, closing the status
   * server), ms on the agent's clock; a step still running then is logged and left behind, so a
   * stalled socket cannot hold the stop. Default 3000.
   */
  stopStepMs?: number
  /** Howdys already sent by the other naras of this process (a town), see `createHowdyBoard`. */
  howdyBoard?: HowdyBoard
  /** The howdy answer budget and byte bound (defaults: 10 at once, then one per 10 s; 8 KiB). */
  howdyAnswers?: HowdyAnswerLimits
  /** Most rows of the neighbourhood table (default 2,000; hearsay and fresh keys go first). */
  neighboursMax?: number
  /** Aborting it stops the agent, as `stop()` does. */
  signal?: AbortSignal
}

/** What the agent needs from the outside world; everything is injectable for tests. */
export interface AgentDeps {
  /** Resolves the identity (soul, name, NaraID) — from the data directory in production. */
  loadIdentity: () => Promise<Identity>
  /**
   * Creates the plaza connection for this identity. The plaza says the join hey_there itself, a
   * uniform [0, `join.jitterMaxMs`) ms after each subscribe (`hey-there-sent` with `join: true`).
   */
  createPlaza: (identity: Identity, join: { jitterMaxMs: number }) => Promise<PlazaPort>
  /** Identity-derived display values (flair, personality). */
  describe: (identity: Identity) => { flair: string; personality: NaraStatus['Personality'] }
  /**
   * The own signature over a checkpoint proposal, which the proposer lists first in its final
   * (WIRE §6.6.2). The plaza signs what it publishes (proposals and votes) but does not hand the
   * signature back; verifying is the plaza's too.
   */
  signProposal: (identity: Identity, proposal: CheckpointProposal) => string
  /** Persisted run counters (first start, starts, uptime). */
  runState?: {
    load: (nowS: number) => Promise<RunState>
    save: (state: RunState) => Promise<void>
  }
  clock?: Clock
  random?: Random
}

export interface Agent {
  start(): Promise<void>
  /** Chau, then a clean disconnect. Idempotent. */
  stop(): Promise<void>
  /** Set after start(). */
  identity(): Identity | undefined
  neighbourhood(): Neighbourhood<NaraStatus> | undefined
  metrics(): AgentMetrics | undefined
  /** The /status document. */
  status(): StatusDocument
  /** Teases a neighbour on `nara/plaza/social` (signed). */
  tease(target: string, reason?: string): Promise<void>
  /** Port of the status server, once listening. */
  httpPort(): number | undefined
}

/** Stops the timers of every service. */
function stopServices(running: Running | undefined): void {
  if (!running) return
  const { newspapers, presence, checkpoints, howdy } = running.services
  newspapers.stop()
  presence.stop()
  checkpoints.stop()
  howdy.stop()
}

/** The stop steps after the disconnect: saving the run counters, closing the status server. */
function finalSteps(parts: Parts): Array<readonly [string, () => Promise<unknown>]> {
  const steps: Array<readonly [string, () => Promise<unknown>]> = []
  if (parts.save) steps.push(['saving run state', parts.save])
  const server = parts.server
  if (server) steps.push(['closing the status server', () => server.stop()])
  return steps
}

export function createAgent(options: AgentOptions, deps: AgentDeps): Agent {
  const clock = deps.clock ?? systemClock
  const parts: Parts = {
    log: options.logger,
    identity: undefined,
    plaza: undefined,
    running: undefined,
    server: undefined,
    httpPort: undefined,
    save: undefined,
    unsubscribe: [],
  }
  const env: Env = {
    options,
    deps,
    clock,
    random: deps.random ?? Math.random,
    buzz: createBuzz(() => clock.now()),
    cpuPercent: cpuSampler(() => clock.now()),
    halting: () => lifecycle.halting(),
    status: () => agent.status(),
  }
  const lifecycle = createLifecycle({
    clock,
    log: () => parts.log,
    stopStepMs: options.stopStepMs,
    signal: options.signal,
    prepare: () => prepare(parts, env),
    plaza: () => parts.plaza,
    everConnected: () => parts.running?.join.everConnected() === true,
    stopServices: () => stopServices(parts.running),
    afterDisconnect: () => {
      for (const u of parts.unsubscribe.splice(0)) u()
    },
    finalSteps: () => finalSteps(parts),
  })
  const agent: Agent = {
    start: () => lifecycle.start(),
    stop: () => lifecycle.stop(),
    identity: () => parts.identity,
    neighbourhood: () => parts.running?.ctx.table,
    metrics: () => parts.running?.ctx.metrics,
    httpPort: () => parts.httpPort,
    async tease(target, reason = 'random') {
      await parts.running?.social.tease(target, reason)
    },
    status: () => statusDocument(parts.running?.sources(), clock.now()),
  }
  return agent
}
