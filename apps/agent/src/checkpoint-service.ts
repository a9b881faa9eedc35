/**
 * Checkpoint consensus over `nara/checkpoint/*` (WIRE.md §6.6): vote on others' proposals,
 * propose for itself on a cadence, gather votes, finalize, and accept others' finals.
 *
 * It takes what the plaza delivers and never verifies a signature again: the plaza's inbound
 * pipeline delivers a proposal only when it is a self-attestation signed with the key pinned for
 * its `subject_id`, a vote only when signed with the key pinned for its `attester_id`, and a final
 * only when its ID matches its content, it lists at least 5 signatures, no voter twice, and at
 * least 2 distinct voter keys verify; it names the voters whose signature verified. What stays
 * here is policy, stricter than Go where Go is weak (§12.9): a voter counts once per proposal,
 * and a final is recorded only when at least `finalMinValid` distinct voters verified.
 */
import type { CheckpointPayload, CheckpointProposal, CheckpointVote } from '@nara/protocol'
import { createLatestCheckpoints, type LatestCheckpoints } from './checkpoint-latest.js'
import { createProposer } from './checkpoint-proposer.js'
import type { CheckpointValues } from './checkpoint-values.js'
import { createVoter } from './checkpoint-voter.js'
import type { Clock, Random } from './clock.js'

export { type CheckpointValues, valuesClose } from './checkpoint-values.js'

/** A final checkpoint as the plaza delivers it. */
export interface VerifiedFinal {
  /** The SyncEvent id (the plaza recomputed it from the content). */
  id: string
  checkpoint: CheckpointPayload
  /** NaraIDs of the distinct voters whose signatures the plaza verified. */
  voters: readonly string[]
}

export type FinalRejection =
  | 'own-subject'
  | 'malformed'
  | 'too-few-valid-signatures'
  /** Its `as_of_time` is not newer than the latest checkpoint held for the subject (a replay). */
  | 'not-newer'

export interface CheckpointServiceOptions {
  me: { name: string; naraId: string }
  clock: Clock
  random: Random
  /**
   * The own signature over a proposal (its `signature` field is ignored). The proposer lists it
   * first in its final (§6.6.2); the plaza signs the published proposal itself (the same bytes,
   * so the same signature) but does not hand the signature back.
   */
  signOwnProposal: (proposal: CheckpointProposal) => string
  /** Number of other naras currently ONLINE. */
  onlinePeers: () => number
  /** Own values to propose. */
  ownValues: () => CheckpointValues
  /** This nara's view of another nara, by name (undefined = unknown, no vote). */
  viewOf: (subject: string) => CheckpointValues | undefined
  publishProposal: (proposal: CheckpointProposal) => void
  /** Publishes a vote; its `signature` is empty: the plaza signs it. */
  publishVote: (vote: CheckpointVote) => void
  /** Publishes the final; returns the SyncEvent id it was sent under. */
  publishFinal: (final: CheckpointPayload) => string
  /** Own checkpoint cadence, ms (Go: 24 h). */
  everyMs: number
  /** From `start()` to the first proposal, ms; default `everyMs` (Go). */
  firstAfterMs?: number
  /** How often to check whether a proposal is due, ms (Go: 15 min). */
  checkMs: number
  /** Vote window, ms (Go: 60 s). */
  voteWindowMs: number
  /** Other naras that must be ONLINE to propose (Go: 6). */
  minPeers: number
  /** Votes in one group needed to finalize (Go: 5). */
  minVotes?: number
  /** Distinct voters the plaza must have verified to record a final (Go: 2). */
  finalMinValid: number
  /** Upper bound of the random vote delay, ms (Go: 3000). */
  voteDelayMaxMs?: number
  onEvent?: (event: CheckpointEvent) => void
}

export type CheckpointEvent =
  | { kind: 'proposed'; round: number; asOfTime: number }
  | { kind: 'voted'; subject: string; round: number; approved: boolean }
  | { kind: 'finalized'; id: string; signatures: number }
  | { kind: 'failed'; round: number; votes: number }
  | { kind: 'final-accepted'; subject: string; id: string; valid: number }
  | { kind: 'final-rejected'; subject: string; reason: FinalRejection }
  | { kind: 'ignored'; what: 'proposal' | 'vote'; reason: string }

export interface CheckpointState {
  pending: { round: number; asOfTime: number; votes: number } | undefined
  proposals: number
  votes: number
  finalsPublished: number
  finalsAccepted: number
  finalsRejected: number
  /** Latest accepted checkpoint id by subject name. */
  latest: Record<string, string>
}

/** What the proposer, the voter and the finals share: the latest checkpoints and the counts. */
export interface CheckpointBook {
  latest: LatestCheckpoints
  counts: Omit<CheckpointState, 'pending' | 'latest'>
  emit(event: CheckpointEvent): void
}

export interface CheckpointService {
  start(): void
  stop(): void
  onProposal(proposal: CheckpointProposal): void
  onVote(vote: CheckpointVote): void
  /** A final the plaza delivered. Returns true when recorded. */
  onFinal(final: VerifiedFinal): boolean
  /** Checks now whether a proposal is due (the timer calls it too). */
  tick(): void
  state(): CheckpointState
}

export function createCheckpointService(o: CheckpointServiceOptions): CheckpointService {
  const book: CheckpointBook = {
    latest: createLatestCheckpoints(),
    counts: { proposals: 0, votes: 0, finalsPublished: 0, finalsAccepted: 0, finalsRejected: 0 },
    emit: (e) => o.onEvent?.(e),
  }
  const proposer = createProposer(o, book)
  const voter = createVoter(o, book)

  const onFinal = ({ id, checkpoint: cp, voters }: VerifiedFinal): boolean => {
    const reject = (reason: FinalRejection) => {
      book.counts.finalsRejected += 1
      book.emit({ kind: 'final-rejected', subject: cp.subject, reason })
      return false
    }
    if (cp.subject === o.me.name) return reject('own-subject')
    // Kept although the plaza checked the final: like Go's IsValid it accepts one without a
    // `subject_id`, whose subject name is then bound to no NaraID; such a final is not recorded.
    if (!cp.subject_id) return reject('malformed')
    const valid = new Set(voters).size
    if (valid < o.finalMinValid) return reject('too-few-valid-signatures')
    if (!book.latest.advance(cp.subject, id, Number(cp.as_of_time))) return reject('not-newer')
    book.counts.finalsAccepted += 1
    book.emit({ kind: 'final-accepted', subject: cp.subject, id, valid })
    return true
  }

  return {
    start() {
      proposer.start()
      voter.start()
    },
    stop() {
      proposer.stop()
      voter.stop()
    },
    tick: () => proposer.tick(),
    onProposal: (p) => voter.onProposal(p),
    onVote: (v) => proposer.onVote(v),
    onFinal,
    state: () => ({
      pending: proposer.pending(),
      ...book.counts,
      latest: book.latest.toRecord(),
    }),
  }
}
