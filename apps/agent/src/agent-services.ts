/**
 * The agent's periodic and reactive services, each bound to the agent's context: howdy
 * self-selection (WIRE.md §7.1), the newspaper schedule (§7.3), presence toward Go naras (§7.5)
 * and checkpoint consensus (§6.6).
 */
import type { CheckpointProposal } from '@nara/protocol'
import { type AgentContext, safely } from './agent-context.js'
import { newspaperPeriodS } from './chattiness.js'
import { type CheckpointService, createCheckpointService } from './checkpoint-service.js'
import type { Timings } from './config.js'
import { HOWDY_MAX_BYTES, howdyAnswer } from './howdy-answer.js'
import {
  createHowdyCoordinator,
  type HowdyBoard,
  type HowdyCoordinator,
} from './howdy-coordinator.js'
import type { RunState } from './identity-store.js'
import { createNewspaperScheduler, type NewspaperScheduler } from './newspaper-scheduler.js'
import { createPresenceKeeper, goPeersOnlineIn, type PresenceKeeper } from './presence-keeper.js'

export interface AgentServices {
  howdy: HowdyCoordinator
  newspapers: NewspaperScheduler
  presence: PresenceKeeper
  checkpoints: CheckpointService
}

export interface AgentServicesOptions {
  timings: Timings
  howdyBoard: HowdyBoard | undefined
  /** Called after each newspaper (a tease now and then). */
  afterNewspaper: () => void
  /** Persists the run counters (after each newspaper); undefined = not persisted. */
  saveRunState: ((state: RunState) => Promise<void>) | undefined
  /** The own signature over a proposal (see `CheckpointServiceOptions.signOwnProposal`). */
  signOwnProposal: (proposal: CheckpointProposal) => string
  /** The answer budget and the byte bound of own howdys (defaults in `howdy-budget.ts`). */
  howdyAnswers: HowdyAnswerLimits | undefined
}

/** How much this nara answers newcomers (see `howdy-budget.ts` and `howdy-answer.ts`). */
export interface HowdyAnswerLimits {
  /** Howdys that may go out at once (default 10). */
  burst?: number
  /** One more howdy allowed per this many ms (default 10 000). */
  everyMs?: number
  /** Byte bound of one own howdy, as encoded (default 8192). */
  maxBytes?: number
}

function howdyService(ctx: AgentContext, o: AgentServicesOptions): HowdyCoordinator {
  const { identity: id, table, plaza, log } = ctx
  const limits = o.howdyAnswers ?? {}
  return createHowdyCoordinator({
    me: id.name,
    clock: ctx.clock,
    random: ctx.random,
    delayMaxMs: o.timings.howdyDelayMaxMs,
    ...(o.howdyBoard ? { board: o.howdyBoard } : {}),
    hadStanding: (name, atMs) => table.hadStandingBefore(name, atMs),
    budget: { burst: limits.burst, everyMs: limits.everyMs },
    respond: (reply) => {
      const howdy = howdyAnswer(ctx, reply, limits.maxBytes ?? HOWDY_MAX_BYTES)
      log.debug(
        { to: reply.to, seq: reply.seq, neighbours: howdy.Neighbors?.length ?? 0 },
        'answering with a howdy',
      )
      void safely(log, 'howdy', plaza.publishHowdy(howdy))
      return (howdy.Neighbors ?? []).map((x) => x.Name)
    },
  })
}

function newspaperService(ctx: AgentContext, o: AgentServicesOptions): NewspaperScheduler {
  const { own, plaza, log } = ctx
  return createNewspaperScheduler({
    clock: ctx.clock,
    periodS: () => o.timings.newspaperPeriodS ?? newspaperPeriodS(own.chattiness()),
    publish: () => {
      const status = own.status(false)
      own.published(status)
      void safely(log, 'newspaper', plaza.publishNewspaper(status))
      log.debug({ chattiness: status.Chattiness, buzz: status.Buzz }, 'newspaper published')
      if (o.saveRunState) void safely(log, 'saving run state', o.saveRunState(own.runState()))
      o.afterNewspaper()
    },
  })
}

function checkpointService(ctx: AgentContext, o: AgentServicesOptions): CheckpointService {
  const { identity: id, table, plaza, log } = ctx
  const { timings } = o
  return createCheckpointService({
    me: { name: id.name, naraId: id.naraId },
    clock: ctx.clock,
    random: ctx.random,
    signOwnProposal: o.signOwnProposal,
    onlinePeers: () => table.counts().ONLINE,
    ownValues: () => ctx.own.values(),
    viewOf: (subject) => {
      const n = table.get(subject)
      if (!n || n.hearsay) return undefined
      return {
        restarts: n.restarts,
        total_uptime: Math.floor(n.totalUptimeMs / 1000),
        start_time: Math.floor(n.firstSeenMs / 1000),
      }
    },
    publishProposal: (p) =>
      void safely(log, 'checkpoint proposal', plaza.publishCheckpointProposal(p)),
    publishVote: (v) => void safely(log, 'checkpoint vote', plaza.publishCheckpointVote(v)),
    publishFinal: (final) => plaza.publishCheckpointFinal(final),
    everyMs: timings.checkpointEveryS * 1000,
    ...(timings.checkpointFirstS === undefined
      ? {}
      : { firstAfterMs: timings.checkpointFirstS * 1000 }),
    checkMs: timings.checkpointCheckS * 1000,
    voteWindowMs: timings.checkpointVoteWindowS * 1000,
    minPeers: timings.checkpointMinPeers,
    finalMinValid: timings.checkpointFinalMinValid,
    onEvent: (e) => {
      const level = e.kind === 'ignored' || e.kind === 'voted' ? 'debug' : 'info'
      log[level]({ ...e }, `checkpoint ${e.kind}`)
    },
  })
}

export function createServices(ctx: AgentContext, o: AgentServicesOptions): AgentServices {
  const { table, plaza, log } = ctx
  return {
    howdy: howdyService(ctx, o),
    newspapers: newspaperService(ctx, o),
    presence: createPresenceKeeper({
      clock: ctx.clock,
      random: ctx.random,
      periodS: o.timings.goReannounceS,
      goPeersPresent: () => goPeersOnlineIn(table),
      sendHeyThere: () => {
        log.debug({}, 'presence hey_there for the Go naras')
        void safely(log, 'hey_there', plaza.sayHeyThere())
      },
    }),
    checkpoints: checkpointService(ctx, o),
  }
}
