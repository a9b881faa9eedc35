/**
 * Checkpoint consensus over `nara/checkpoint/*` (WIRE.md §6.6): vote on others' proposals,
 * propose for itself on a cadence, gather votes, finalize, and accept others' finals.
 *
 * Stricter than Go where Go is weak (§12.9): a voter is counted once per proposal, and a final
 * is accepted only when its voter list has no duplicates and at least `finalMinValid` distinct
 * voters' signatures verify against keys pinned by NaraID.
 */
import { type Clock, type Random, randomInt, type TimerHandle } from './clock.js'

export interface CheckpointValues {
  restarts: number
  total_uptime: number
  start_time: number
}

/** The attestation fields (JSON order of §6.6.1). */
export interface AttestationLike {
  version: number
  subject: string
  subject_id: string
  observation: Partial<CheckpointValues>
  attester: string
  attester_id: string
  last_seen_checkpoint_id?: string
  as_of_time: number
  signature: string
}

export interface ProposalLike extends AttestationLike {
  round: number
}

export interface VoteLike extends AttestationLike {
  proposal_ts: number
  round: number
  approved: boolean
}

/** Payload of the final SyncEvent (§6.6.3). */
export interface FinalLike {
  version: number
  subject: string
  subject_id: string
  previous_checkpoint_id?: string
  observation: Partial<CheckpointValues>
  as_of_time: number
  round: number
  voter_ids?: string[]
  signatures?: string[]
}

export type FinalRejection =
  | 'own-subject'
  | 'malformed'
  | 'too-few-signatures'
  | 'duplicate-voter'
  | 'too-few-valid-signatures'

export interface CheckpointServiceOptions {
  /** Own identity; `publicKey` (base64) verifies the own self-attestation in finals. */
  me: { name: string; naraId: string; publicKey: string }
  clock: Clock
  random: Random
  /** Signs an attestation (the `signature` field is ignored). */
  sign: (attestation: AttestationLike) => string
  /** Verifies an attestation's signature with a base64 public key. */
  verify: (attestation: AttestationLike, publicKey: string) => boolean
  /** Key pinned for a NaraID. */
  keyById: (naraId: string) => string | undefined
  /** Number of other naras currently ONLINE. */
  onlinePeers: () => number
  /** Own values to propose. */
  ownValues: () => CheckpointValues
  /** This nara's view of another nara, by name (undefined = unknown, no vote). */
  viewOf: (subject: string) => CheckpointValues | undefined
  publishProposal: (proposal: ProposalLike) => void
  publishVote: (vote: VoteLike) => void
  /** Publishes the final; returns the SyncEvent id it was sent under. */
  publishFinal: (final: FinalLike) => string
  /** Own checkpoint cadence, ms (Go: 24 h). */
  everyMs: number
  /** How often to check whether a proposal is due, ms (Go: 15 min). */
  checkMs: number
  /** Vote window, ms (Go: 60 s). */
  voteWindowMs: number
  /** Other naras that must be ONLINE to propose (Go: 6). */
  minPeers: number
  /** Votes in one group needed to finalize (Go: 5). */
  minVotes?: number
  /** Signatures a final must list (Go: 5). */
  finalMinSignatures?: number
  /** Distinct voters whose signature must verify (Go: 2, counting duplicates). */
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

export interface CheckpointService {
  start(): void
  stop(): void
  onProposal(proposal: ProposalLike): void
  onVote(vote: VoteLike): void
  /** A received final (`id` = SyncEvent id). Returns true when accepted. */
  onFinal(final: FinalLike, id: string): boolean
  /** Checks now whether a proposal is due (the timer calls it too). */
  tick(): void
  state(): CheckpointState
}

const TOLERANCE = { restarts: 5, total_uptime: 60, start_time: 60 }

export function valuesClose(a: CheckpointValues, b: CheckpointValues): boolean {
  return (
    Math.abs(a.restarts - b.restarts) <= TOLERANCE.restarts &&
    Math.abs(a.total_uptime - b.total_uptime) <= TOLERANCE.total_uptime &&
    Math.abs(a.start_time - b.start_time) <= TOLERANCE.start_time
  )
}

const valuesOf = (o: Partial<CheckpointValues>): CheckpointValues => ({
  restarts: o.restarts ?? 0,
  total_uptime: o.total_uptime ?? 0,
  start_time: o.start_time ?? 0,
})

const observationJson = (v: CheckpointValues): Partial<CheckpointValues> => {
  const o: Partial<CheckpointValues> = {}
  if (v.restarts) o.restarts = v.restarts
  if (v.total_uptime) o.total_uptime = v.total_uptime
  if (v.start_time) o.start_time = v.start_time
  return o
}

/** Mean of the values without the lowest and highest (when there are at least 3). */
function trimmedMean(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const t = s.length >= 3 ? s.slice(1, -1) : s
  return t.length === 0 ? 0 : Math.round(t.reduce((a, b) => a + b, 0) / t.length)
}

interface Pending {
  proposal: ProposalLike
  votes: Map<string, VoteLike>
  timer: TimerHandle
}

export function createCheckpointService(o: CheckpointServiceOptions): CheckpointService {
  const minVotes = o.minVotes ?? 5
  const finalMinSignatures = o.finalMinSignatures ?? 5
  const voteDelayMaxMs = o.voteDelayMaxMs ?? 3000
  const emit = (e: CheckpointEvent) => o.onEvent?.(e)
  const latest = new Map<string, string>()
  const voteTimers = new Set<TimerHandle>()
  let pending: Pending | undefined
  let checkTimer: TimerHandle | undefined
  let running = false
  let lastAttemptMs = o.clock.now()
  const counts = {
    proposals: 0,
    votes: 0,
    finalsPublished: 0,
    finalsAccepted: 0,
    finalsRejected: 0,
  }

  const nowS = () => Math.floor(o.clock.now() / 1000)

  const propose = (round: number, values: CheckpointValues) => {
    const unsigned: ProposalLike = {
      version: 2,
      subject: o.me.name,
      subject_id: o.me.naraId,
      observation: observationJson(values),
      attester: o.me.name,
      attester_id: o.me.naraId,
      as_of_time: nowS(),
      signature: '',
      round,
    }
    const prev = latest.get(o.me.name)
    if (prev) unsigned.last_seen_checkpoint_id = prev
    const proposal = { ...unsigned, signature: o.sign(unsigned) }
    pending = {
      proposal,
      votes: new Map(),
      timer: o.clock.setTimeout(() => finalize(), o.voteWindowMs),
    }
    counts.proposals += 1
    o.publishProposal(proposal)
    emit({ kind: 'proposed', round, asOfTime: proposal.as_of_time })
  }

  const finalize = () => {
    const p = pending
    if (!p) return
    o.clock.clearTimeout(p.timer)
    pending = undefined
    const groups = new Map<string, VoteLike[]>()
    for (const v of p.votes.values()) {
      const vals = valuesOf(v.observation)
      const key = `${vals.restarts}:${vals.total_uptime}:${vals.start_time}:${v.last_seen_checkpoint_id ?? ''}`
      groups.set(key, [...(groups.get(key) ?? []), v])
    }
    const best = [...groups.values()].sort((a, b) => b.length - a.length)[0]
    if (!best || best.length < minVotes) {
      emit({ kind: 'failed', round: p.proposal.round, votes: p.votes.size })
      lastAttemptMs = o.clock.now()
      if (p.proposal.round === 1 && p.votes.size > 0) {
        const all = [...p.votes.values()].map((v) => valuesOf(v.observation))
        all.push(valuesOf(p.proposal.observation))
        propose(2, {
          restarts: trimmedMean(all.map((v) => v.restarts)),
          total_uptime: trimmedMean(all.map((v) => v.total_uptime)),
          start_time: trimmedMean(all.map((v) => v.start_time)),
        })
      }
      return
    }
    const first = best[0]!
    const win = valuesOf(first.observation)
    const previous = first.last_seen_checkpoint_id ?? ''
    const voterIds: string[] = []
    const signatures: string[] = []
    const own = valuesOf(p.proposal.observation)
    if (
      own.restarts === win.restarts &&
      own.total_uptime === win.total_uptime &&
      own.start_time === win.start_time &&
      (p.proposal.last_seen_checkpoint_id ?? '') === previous
    ) {
      voterIds.push(o.me.naraId)
      signatures.push(p.proposal.signature)
    }
    for (const v of best) {
      if (voterIds.length >= 10) break
      voterIds.push(v.attester_id)
      signatures.push(v.signature)
    }
    const final: FinalLike = {
      version: 2,
      subject: o.me.name,
      subject_id: o.me.naraId,
      observation: observationJson(win),
      as_of_time: p.proposal.as_of_time,
      round: p.proposal.round,
      voter_ids: voterIds,
      signatures,
    }
    if (previous) final.previous_checkpoint_id = previous
    const valid = countValid(final)
    if (valid < 2) {
      emit({ kind: 'failed', round: p.proposal.round, votes: p.votes.size })
      return
    }
    const id = o.publishFinal(final)
    latest.set(o.me.name, id)
    counts.finalsPublished += 1
    emit({ kind: 'finalized', id, signatures: signatures.length })
  }

  /** Distinct voters of a final whose signatures verify with their pinned keys. */
  const countValid = (final: FinalLike): number => {
    const ids = final.voter_ids ?? []
    const sigs = final.signatures ?? []
    const ok = new Set<string>()
    ids.forEach((voterId, i) => {
      const attestation: AttestationLike = {
        version: final.version,
        subject: final.subject,
        subject_id: final.subject_id,
        observation: final.observation,
        attester: '',
        attester_id: voterId,
        as_of_time: final.as_of_time,
        signature: sigs[i] ?? '',
      }
      if (final.previous_checkpoint_id)
        attestation.last_seen_checkpoint_id = final.previous_checkpoint_id
      const pinned = voterId === o.me.naraId ? o.me.publicKey : o.keyById(voterId)
      if (pinned && sigs[i] && o.verify(attestation, pinned)) ok.add(voterId)
    })
    return ok.size
  }

  const service: CheckpointService = {
    start() {
      running = true
      lastAttemptMs = o.clock.now()
      const loop = () => {
        if (!running) return
        service.tick()
        checkTimer = o.clock.setTimeout(loop, o.checkMs)
      }
      checkTimer = o.clock.setTimeout(loop, o.checkMs)
    },
    stop() {
      running = false
      if (checkTimer) o.clock.clearTimeout(checkTimer)
      if (pending) o.clock.clearTimeout(pending.timer)
      pending = undefined
      for (const t of voteTimers) o.clock.clearTimeout(t)
      voteTimers.clear()
    },
    tick() {
      if (!running || pending) return
      if (o.clock.now() - lastAttemptMs < o.everyMs) return
      if (o.onlinePeers() < o.minPeers) return
      lastAttemptMs = o.clock.now()
      propose(1, o.ownValues())
    },
    onProposal(p) {
      if (!running) return
      if (p.subject === o.me.name || p.subject_id === o.me.naraId) return
      if ((p.version || 1) < 2)
        return emit({ kind: 'ignored', what: 'proposal', reason: 'version' })
      const key = o.keyById(p.subject_id)
      if (!key) return emit({ kind: 'ignored', what: 'proposal', reason: 'unknown-key' })
      if (!o.verify(p, key))
        return emit({ kind: 'ignored', what: 'proposal', reason: 'bad-signature' })
      const mine = o.viewOf(p.subject)
      if (!mine) return emit({ kind: 'ignored', what: 'proposal', reason: 'unknown-subject' })
      const proposed = valuesOf(p.observation)
      const approved = valuesClose(proposed, mine)
      const unsigned: VoteLike = {
        version: 2,
        subject: p.subject,
        subject_id: p.subject_id,
        observation: observationJson(approved ? proposed : mine),
        attester: o.me.name,
        attester_id: o.me.naraId,
        as_of_time: p.as_of_time,
        signature: '',
        proposal_ts: p.as_of_time,
        round: p.round,
        approved,
      }
      const prev = latest.get(p.subject)
      if (prev) unsigned.last_seen_checkpoint_id = prev
      const vote = { ...unsigned, signature: o.sign(unsigned) }
      const t = o.clock.setTimeout(
        () => {
          voteTimers.delete(t)
          if (!running) return
          counts.votes += 1
          o.publishVote(vote)
          emit({ kind: 'voted', subject: p.subject, round: p.round, approved })
        },
        randomInt(o.random, voteDelayMaxMs),
      )
      voteTimers.add(t)
    },
    onVote(v) {
      const p = pending
      if (!p || v.subject_id !== o.me.naraId) return
      if ((v.version || 1) < 2) return emit({ kind: 'ignored', what: 'vote', reason: 'version' })
      if (v.proposal_ts !== p.proposal.as_of_time || v.round !== p.proposal.round) {
        return emit({ kind: 'ignored', what: 'vote', reason: 'stale' })
      }
      if (p.votes.has(v.attester_id))
        return emit({ kind: 'ignored', what: 'vote', reason: 'duplicate-voter' })
      const key = o.keyById(v.attester_id)
      if (!key) return emit({ kind: 'ignored', what: 'vote', reason: 'unknown-key' })
      if (!o.verify(v, key)) return emit({ kind: 'ignored', what: 'vote', reason: 'bad-signature' })
      p.votes.set(v.attester_id, v)
      const groupSize = [...p.votes.values()].filter(
        (x) =>
          JSON.stringify(valuesOf(x.observation)) === JSON.stringify(valuesOf(v.observation)) &&
          (x.last_seen_checkpoint_id ?? '') === (v.last_seen_checkpoint_id ?? ''),
      ).length
      if (groupSize >= minVotes) finalize()
    },
    onFinal(final, id) {
      const reject = (reason: FinalRejection) => {
        counts.finalsRejected += 1
        emit({ kind: 'final-rejected', subject: final.subject, reason })
        return false
      }
      if (final.subject === o.me.name) return reject('own-subject')
      const ids = final.voter_ids ?? []
      const sigs = final.signatures ?? []
      if (
        !final.subject ||
        !final.subject_id ||
        final.as_of_time <= 0 ||
        ids.length !== sigs.length
      ) {
        return reject('malformed')
      }
      if (sigs.length < finalMinSignatures) return reject('too-few-signatures')
      if (new Set(ids).size !== ids.length) return reject('duplicate-voter')
      const valid = countValid(final)
      if (valid < o.finalMinValid) return reject('too-few-valid-signatures')
      latest.set(final.subject, id)
      counts.finalsAccepted += 1
      emit({ kind: 'final-accepted', subject: final.subject, id, valid })
      return true
    },
    state: () => ({
      pending: pending
        ? {
            round: pending.proposal.round,
            asOfTime: pending.proposal.as_of_time,
            votes: pending.votes.size,
          }
        : undefined,
      ...counts,
      latest: Object.fromEntries(latest),
    }),
  }
  return service
}
