/**
 * The proposer side of checkpoint consensus (WIRE.md §6.6.2): on a cadence, propose the own
 * values, gather the votes about them, finalize (or retry once as round 2) and publish the final.
 */
import type { CheckpointProposal, CheckpointVote } from '@nara/protocol'
import type {
  CheckpointBook,
  CheckpointServiceOptions,
  CheckpointState,
} from './checkpoint-service.js'
import {
  buildFinal,
  type CheckpointValues,
  groupSize,
  largestGroup,
  observationJson,
  roundTwoValues,
  valuesOf,
} from './checkpoint-values.js'
import type { TimerHandle } from './clock.js'

interface Pending {
  proposal: CheckpointProposal
  /** By attester NaraID: a voter counts once per proposal. */
  votes: Map<string, CheckpointVote>
  timer: TimerHandle
}

export interface Proposer {
  start(): void
  stop(): void
  /** Proposes now when one is due. */
  tick(): void
  /** A vote the plaza verified (signed with the key pinned for its `attester_id`). */
  onVote(vote: CheckpointVote): void
  pending(): CheckpointState['pending']
}

/** The own proposal (a self-attestation), signed. */
function ownProposal(
  o: CheckpointServiceOptions,
  latest: string | undefined,
  round: number,
  values: CheckpointValues,
): CheckpointProposal {
  const unsigned: CheckpointProposal = {
    version: 2,
    subject: o.me.name,
    subject_id: o.me.naraId,
    observation: observationJson(values),
    attester: o.me.name,
    attester_id: o.me.naraId,
    as_of_time: Math.floor(o.clock.now() / 1000),
    signature: '',
    round,
  }
  if (latest) unsigned.last_seen_checkpoint_id = latest
  return { ...unsigned, signature: o.signOwnProposal(unsigned) }
}

/** Why a vote does not count for the pending proposal, if it does not. */
function voteProblem(v: CheckpointVote, p: Pending): string | undefined {
  // Our final is version 2: a vote signed under another version would not verify in it.
  if (v.version !== 2) return 'version'
  if (v.proposal_ts !== p.proposal.as_of_time || v.round !== p.proposal.round) return 'stale'
  if (p.votes.has(v.attester_id)) return 'duplicate-voter'
  return undefined
}

function summary(p: Pending): NonNullable<CheckpointState['pending']> {
  return { round: p.proposal.round, asOfTime: p.proposal.as_of_time, votes: p.votes.size }
}

export function createProposer(o: CheckpointServiceOptions, book: CheckpointBook): Proposer {
  const minVotes = o.minVotes ?? 5
  let pending: Pending | undefined
  let checkTimer: TimerHandle | undefined
  let running = false
  let lastAttemptMs = o.clock.now()

  const propose = (round: number, values: CheckpointValues): void => {
    const proposal = ownProposal(o, book.latest.get(o.me.name), round, values)
    pending = {
      proposal,
      votes: new Map(),
      timer: o.clock.setTimeout(finalize, o.voteWindowMs),
    }
    book.counts.proposals += 1
    o.publishProposal(proposal)
    book.emit({ kind: 'proposed', round, asOfTime: proposal.as_of_time })
  }

  /** No group reached `minVotes`: round 1 retries once as round 2 with the trimmed mean. */
  const fail = (p: Pending): void => {
    book.emit({ kind: 'failed', round: p.proposal.round, votes: p.votes.size })
    lastAttemptMs = o.clock.now()
    if (p.proposal.round !== 1 || p.votes.size === 0) return
    const all = [...p.votes.values()].map((v) => valuesOf(v.observation))
    all.push(valuesOf(p.proposal.observation))
    propose(2, roundTwoValues(all))
  }

  function finalize(): void {
    const p = pending
    if (!p) return
    o.clock.clearTimeout(p.timer)
    pending = undefined
    const best = largestGroup(p.votes.values())
    if (!best || best.length < minVotes) {
      fail(p)
      return
    }
    const final = buildFinal(p.proposal, best)
    const id = o.publishFinal(final)
    book.latest.advance(o.me.name, id, Number(final.as_of_time))
    book.counts.finalsPublished += 1
    book.emit({ kind: 'finalized', id, signatures: final.signatures?.length ?? 0 })
  }

  const proposer: Proposer = {
    start() {
      running = true
      // The first proposal is due `firstAfterMs` after the start (default: one cadence).
      lastAttemptMs = o.clock.now() - o.everyMs + (o.firstAfterMs ?? o.everyMs)
      const loop = (): void => {
        if (!running) return
        proposer.tick()
        checkTimer = o.clock.setTimeout(loop, o.checkMs)
      }
      checkTimer = o.clock.setTimeout(loop, o.checkMs)
    },
    stop() {
      running = false
      if (checkTimer) o.clock.clearTimeout(checkTimer)
      if (pending) o.clock.clearTimeout(pending.timer)
      pending = undefined
    },
    tick() {
      if (!running || pending) return
      if (o.clock.now() - lastAttemptMs < o.everyMs) return
      if (o.onlinePeers() < o.minPeers) return
      lastAttemptMs = o.clock.now()
      propose(1, o.ownValues())
    },
    onVote(v) {
      const p = pending
      if (!p || v.subject_id !== o.me.naraId) return
      const problem = voteProblem(v, p)
      if (problem) return book.emit({ kind: 'ignored', what: 'vote', reason: problem })
      p.votes.set(v.attester_id, v)
      if (groupSize(p.votes.values(), v) >= minVotes) finalize()
    },
    pending: () => pending && summary(pending),
  }
  return proposer
}
