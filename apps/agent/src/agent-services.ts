/**
 * The agent's periodic and reactive services, each bound to the agent's context: howdy
 * self-selection (WIRE.md §7.1), the newspaper schedule (§7.3), presence toward Go naras (§7.5)
 * and checkpoint consensus (§6.6).
 */
import type { CheckpointProposal, NaraObservation } from '@nara/protocol'
import { type AgentContext, safely } from './agent-context.js'
import { newspaperPeriodS } from './chattiness.js'
import { type CheckpointService, createCheckpointService } from './checkpoint-service.js'
import type { Timings } from './config.js'
import {
  createHowdyCoordinator,
  type HowdyBoard,
  type HowdyCoordinator,
  selectNeighbours,
} from './howdy-coordinator.js'
import type { RunState } from './identity-store.js'
import { createNewspaperScheduler, type NewspaperScheduler } from './newspaper-scheduler.js'
import { createPresenceKeeper, goPeersOnline, type PresenceKeeper } from './presence-keeper.js'

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
}

function howdyService(ctx: AgentContext, o: AgentServicesOptions): HowdyCoordinator {
  const { identity: id, table, plaza, log } = ctx
  return createHowdyCoordinator({
    me: id.name,
    clock: ctx.clock,
    random: ctx.random,
    delayMaxMs: o.timings.howdyDelayMaxMs,
    ...(o.howdyBoard ? { board: o.howdyBoard } : {}),
    respond: ({ to, seq, mentioned }) => {
      const picked = selectNeighbours(table.list(), to, mentioned).map((n) => ({
        Name: n.name,
        PublicKey: n.publicKey ?? '',
        MeshIP: '',
        ID: n.naraId ?? '',
        Observation: table.observationOf(n.name) as NaraObservation,
      }))
      log.debug({ to, seq, neighbours: picked.length }, 'answering with a howdy')
      void safely(
        log,
        'howdy',
        plaza.publishHowdy({
          To: to,
          Seq: seq,
          You: table.observationOf(to) as NaraObservation,
          Neighbors: picked.length > 0 ? picked : null,
          Me: ctx.own.status(true),
        }),
      )
      return picked.map((x) => x.Name)
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
      goPeersPresent: () => goPeersOnline(table.list()),
      sendHeyThere: () => {
        log.debug({}, 'presence hey_there for the Go naras')
        void safely(log, 'hey_there', plaza.sayHeyThere())
      },
    }),
    checkpoints: checkpointService(ctx, o),
  }
}
