/**
 * The values a checkpoint attests to (WIRE.md §6.6) and the pure rules over them: the vote
 * tolerance, the grouping of votes, the round-2 trimmed mean and the final's voter list.
 */
import type { CheckpointPayload, CheckpointProposal, CheckpointVote } from '@nara/protocol'

export interface CheckpointValues {
  restarts: number
  total_uptime: number
  start_time: number
}

/** Go's approval tolerance: restarts ±5, total_uptime ±60 s, start_time ±60 s. */
const TOLERANCE = { restarts: 5, total_uptime: 60, start_time: 60 }

/** Most signatures a final lists (Go: 10). */
const MAX_SIGNATURES = 10

export function valuesClose(a: CheckpointValues, b: CheckpointValues): boolean {
  return (
    Math.abs(a.restarts - b.restarts) <= TOLERANCE.restarts &&
    Math.abs(a.total_uptime - b.total_uptime) <= TOLERANCE.total_uptime &&
    Math.abs(a.start_time - b.start_time) <= TOLERANCE.start_time
  )
}

/** The three values of an observation; an absent one is 0 (Go's zero value). */
export function valuesOf(o: Partial<CheckpointValues>): CheckpointValues {
  return {
    restarts: o.restarts ?? 0,
    total_uptime: o.total_uptime ?? 0,
    start_time: o.start_time ?? 0,
  }
}

/** The observation as Go sends it: zero values are omitted. */
export function observationJson(v: CheckpointValues): Partial<CheckpointValues> {
  const o: Partial<CheckpointValues> = {}
  if (v.restarts) o.restarts = v.restarts
  if (v.total_uptime) o.total_uptime = v.total_uptime
  if (v.start_time) o.start_time = v.start_time
  return o
}

/** Votes that attest to the same values after the same checkpoint sign the same text. */
function groupKey(v: CheckpointVote): string {
  const x = valuesOf(v.observation)
  return `${x.restarts}:${x.total_uptime}:${x.start_time}:${v.last_seen_checkpoint_id ?? ''}`
}

/** How many of `votes` are in the same group as `vote`. */
export function groupSize(votes: Iterable<CheckpointVote>, vote: CheckpointVote): number {
  const key = groupKey(vote)
  let n = 0
  for (const v of votes) if (groupKey(v) === key) n++
  return n
}

/** The largest group of votes (first found wins a tie), or undefined without votes. */
export function largestGroup(votes: Iterable<CheckpointVote>): CheckpointVote[] | undefined {
  const groups = new Map<string, CheckpointVote[]>()
  for (const v of votes) {
    const key = groupKey(v)
    groups.set(key, [...(groups.get(key) ?? []), v])
  }
  return [...groups.values()].sort((a, b) => b.length - a.length)[0]
}

/** Mean of the values without the lowest and highest (when there are at least 3). */
function trimmedMean(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const t = s.length >= 3 ? s.slice(1, -1) : s
  return t.length === 0 ? 0 : Math.round(t.reduce((a, b) => a + b, 0) / t.length)
}

/** Round-2 values: the trimmed mean of every round-1 value (the votes' and the proposal's). */
export function roundTwoValues(all: CheckpointValues[]): CheckpointValues {
  return {
    restarts: trimmedMean(all.map((v) => v.restarts)),
    total_uptime: trimmedMean(all.map((v) => v.total_uptime)),
    start_time: trimmedMean(all.map((v) => v.start_time)),
  }
}

/**
 * The final for `proposal` from its winning group of votes (WIRE §6.6.2): the proposer's own
 * signature first when its values and previous checkpoint are the winning ones, then the voters,
 * at most 10 signatures.
 *
 * Every signature listed verifies by construction, so the final is not checked again: the plaza
 * verified each vote over `attestation:v{version}:{attester_id}:{subject_id}:{as_of_time}:
 * {values}:{last_seen}`; the service only takes version-2 votes about its own NaraID for this
 * proposal's `as_of_time`, and a group shares values and `last_seen`: exactly the text each
 * voter's entry of the final is rebuilt to (§6.6.3).
 */
export function buildFinal(
  proposal: CheckpointProposal,
  best: readonly CheckpointVote[],
): CheckpointPayload {
  const first = best[0]
  const win = valuesOf(first?.observation ?? {})
  const previous = first?.last_seen_checkpoint_id ?? ''
  const voterIds: string[] = []
  const signatures: string[] = []
  const own = valuesOf(proposal.observation)
  if (
    own.restarts === win.restarts &&
    own.total_uptime === win.total_uptime &&
    own.start_time === win.start_time &&
    (proposal.last_seen_checkpoint_id ?? '') === previous
  ) {
    voterIds.push(proposal.attester_id)
    signatures.push(proposal.signature)
  }
  for (const v of best) {
    if (voterIds.length >= MAX_SIGNATURES) break
    voterIds.push(v.attester_id)
    signatures.push(v.signature)
  }
  const final: CheckpointPayload = {
    version: 2,
    subject: proposal.subject,
    subject_id: proposal.subject_id,
    observation: observationJson(win),
    as_of_time: proposal.as_of_time,
    round: proposal.round,
    voter_ids: voterIds,
    signatures,
  }
  if (previous) final.previous_checkpoint_id = previous
  return final
}
