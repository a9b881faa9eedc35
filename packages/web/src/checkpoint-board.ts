/**
 * Checkpoint rounds as the plaza shows them (WIRE.md §6.6): a proposal opens a round for its
 * subject, votes gather under it, a final closes it with the voters whose signatures verified
 * here. The last `maxRounds` rounds are kept.
 */
import type { PlazaEvent } from '@nara/plaza'
import { pushBounded } from './refused-log.js'
import type { CheckpointRound } from './view-types.js'

export interface CheckpointBoard {
  /** Folds a verified proposal, vote or final in; returns the round it changed. */
  record(event: PlazaEvent, nameOfId: (id: string) => string | undefined): CheckpointRound | null
  rounds(): CheckpointRound[]
}

export function createCheckpointBoard(maxRounds: number): CheckpointBoard {
  const rounds: CheckpointRound[] = []

  const roundFor = (subject: string, round: number, atMs: number): CheckpointRound => {
    const key = `${subject}\u0000${round}`
    let r = rounds.find((x) => x.key === key)
    if (!r) {
      r = { key, subject, round, startedAtMs: atMs, proposed: false, votes: [], final: null }
      pushBounded(rounds, r, maxRounds)
    }
    return r
  }

  return {
    record(event, nameOfId) {
      if (event.kind === 'checkpoint_propose') {
        const p = (event as PlazaEvent<'checkpoint_propose'>).message
        const r = roundFor(p.subject, p.round, event.receivedAtMs)
        r.proposed = true
        return r
      }
      if (event.kind === 'checkpoint_vote') {
        const v = (event as PlazaEvent<'checkpoint_vote'>).message
        const r = roundFor(v.subject, v.round, event.receivedAtMs)
        const vote = {
          name: v.attester,
          approved: v.approved,
          proven: event.nameProof === 'signature',
        }
        const at = r.votes.findIndex((x) => x.name === v.attester)
        if (at >= 0) r.votes[at] = vote
        else if (r.votes.length < 100) r.votes.push(vote)
        return r
      }
      if (event.kind === 'checkpoint_final') {
        const c = (event as PlazaEvent<'checkpoint_final'>).message.checkpoint
        const r = roundFor(c.subject, c.round, event.receivedAtMs)
        const verified = new Set(event.voters ?? [])
        r.final = {
          atMs: event.receivedAtMs,
          voters: (c.voter_ids ?? []).slice(0, 100).map((id) => ({
            id,
            name: nameOfId(id) ?? null,
            verified: verified.has(id),
          })),
        }
        return r
      }
      return null
    },
    rounds: () => rounds.map((r) => ({ ...r, votes: [...r.votes] })),
  }
}
