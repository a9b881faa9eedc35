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
  return new CheckpointProposer(o, book)
}

/** {@link Proposer}: at most one own proposal pending at a time, round 1 or its retry (round 2). */
class CheckpointProposer implements Proposer {
  readonly #o: CheckpointServiceOptions
  readonly #book: CheckpointBook
  readonly #minVotes: number
  #pending: Pending | undefined
  #checkTimer: TimerHandle | undefined
  #running = false
  #lastAttemptMs: number

  constructor(o: CheckpointServiceOptions, book: CheckpointBook) {
    this.#o = o
    this.#book = book
    this.#minVotes = o.minVotes ?? 5
    this.#lastAttemptMs = o.clock.now()
  }

  start(): void {
    const o = this.#o
    this.#running = true
    // The first proposal is due `firstAfterMs` after the start (default: one cadence).
    this.#lastAttemptMs = o.clock.now() - o.everyMs + (o.firstAfterMs ?? o.everyMs)
    const loop = (): void => {
      if (!this.#running) return
      this.tick()
      this.#checkTimer = o.clock.setTimeout(loop, o.checkMs)
    }
    this.#checkTimer = o.clock.setTimeout(loop, o.checkMs)
  }

  stop(): void {
    this.#running = false
    if (this.#checkTimer) this.#o.clock.clearTimeout(this.#checkTimer)
    if (this.#pending) this.#o.clock.clearTimeout(this.#pending.timer)
    this.#pending = undefined
  }

  tick(): void {
    const o = this.#o
    if (!this.#running || this.#pending) return
    if (o.clock.now() - this.#lastAttemptMs < o.everyMs) return
    if (o.onlinePeers() < o.minPeers) return
    this.#lastAttemptMs = o.clock.now()
    this.#propose(1, o.ownValues())
  }

  onVote(v: CheckpointVote): void {
    const p = this.#pending
    if (!p || v.subject_id !== this.#o.me.naraId) return
    const problem = voteProblem(v, p)
    if (problem) {
      this.#book.emit({ kind: 'ignored', what: 'vote', reason: problem })
      return
    }
    p.votes.set(v.attester_id, v)
    if (groupSize(p.votes.values(), v) >= this.#minVotes) this.#finalize()
  }

  pending(): CheckpointState['pending'] {
    return this.#pending && summary(this.#pending)
  }

  #propose(round: number, values: CheckpointValues): void {
    const o = this.#o
    const proposal = ownProposal(o, this.#book.latest.get(o.me.name), round, values)
    this.#pending = {
      proposal,
      votes: new Map(),
      timer: o.clock.setTimeout(() => this.#finalize(), o.voteWindowMs),
    }
    this.#book.counts.proposals += 1
    o.publishProposal(proposal)
    this.#book.emit({ kind: 'proposed', round, asOfTime: proposal.as_of_time })
  }

  #finalize(): void {
    const p = this.#pending
    if (!p) return
    this.#o.clock.clearTimeout(p.timer)
    this.#pending = undefined
    const best = largestGroup(p.votes.values())
    if (!best || best.length < this.#minVotes) {
      this.#fail(p)
      return
    }
    const final = buildFinal(p.proposal, best)
    const id = this.#o.publishFinal(final)
    this.#book.latest.advance(this.#o.me.name, id, Number(final.as_of_time))
    this.#book.counts.finalsPublished += 1
    this.#book.emit({ kind: 'finalized', id, signatures: final.signatures?.length ?? 0 })
  }

  /** No group reached `minVotes`: round 1 retries once as round 2 with the trimmed mean. */
  #fail(p: Pending): void {
    this.#book.emit({ kind: 'failed', round: p.proposal.round, votes: p.votes.size })
    this.#lastAttemptMs = this.#o.clock.now()
    if (p.proposal.round !== 1 || p.votes.size === 0) return
    const all = [...p.votes.values()].map((v) => valuesOf(v.observation))
    all.push(valuesOf(p.proposal.observation))
    this.#propose(2, roundTwoValues(all))
  }
}
