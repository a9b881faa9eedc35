/**
 * The voter side of checkpoint consensus (WIRE.md §6.6.2): answer another nara's proposal with a
 * vote after a random delay, approving its values when they are close to this nara's own view.
 */
import type { CheckpointProposal, CheckpointVote } from '@nara/protocol'
import type { CheckpointBook, CheckpointServiceOptions } from './checkpoint-service.js'
import {
  type CheckpointValues,
  observationJson,
  valuesClose,
  valuesOf,
} from './checkpoint-values.js'
import { randomInt, type TimerHandle } from './clock.js'

export interface Voter {
  start(): void
  stop(): void
  /**
   * A proposal the plaza verified: a self-attestation signed with the key pinned for its
   * `subject_id` (unknown IDs and bad signatures never arrive).
   */
  onProposal(proposal: CheckpointProposal): void
}

export function createVoter(o: CheckpointServiceOptions, book: CheckpointBook): Voter {
  const voteDelayMaxMs = o.voteDelayMaxMs ?? 3000
  const timers = new Set<TimerHandle>()
  let running = false

  /** The vote, unsigned: the plaza signs it (attester = us) when it publishes it. */
  const voteOn = (p: CheckpointProposal, approved: boolean, mine: CheckpointValues) => {
    const vote: CheckpointVote = {
      version: 2,
      subject: p.subject,
      subject_id: p.subject_id,
      observation: observationJson(approved ? valuesOf(p.observation) : mine),
      attester: o.me.name,
      attester_id: o.me.naraId,
      as_of_time: p.as_of_time,
      signature: '',
      proposal_ts: p.as_of_time,
      round: p.round,
      approved,
    }
    const prev = book.latest.get(p.subject)
    if (prev) vote.last_seen_checkpoint_id = prev
    return vote
  }

  return {
    start() {
      running = true
    },
    stop() {
      running = false
      for (const t of timers) o.clock.clearTimeout(t)
      timers.clear()
    },
    onProposal(p) {
      if (!running) return
      if (p.subject === o.me.name || p.subject_id === o.me.naraId) return
      const ignore = (reason: string) => book.emit({ kind: 'ignored', what: 'proposal', reason })
      if ((p.version || 1) < 2) return ignore('version')
      const mine = o.viewOf(p.subject)
      if (!mine) return ignore('unknown-subject')
      const approved = valuesClose(valuesOf(p.observation), mine)
      const vote = voteOn(p, approved, mine)
      const t = o.clock.setTimeout(
        () => {
          timers.delete(t)
          if (!running) return
          book.counts.votes += 1
          o.publishVote(vote)
          book.emit({ kind: 'voted', subject: p.subject, round: p.round, approved })
        },
        randomInt(o.random, voteDelayMaxMs),
      )
      timers.add(t)
    },
  }
}
