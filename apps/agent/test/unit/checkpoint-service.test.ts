import { createKeyLookup } from '@nara/crypto'
import {
  computeEventId,
  keypairFromSeed,
  signAttestation,
  verifyCheckpointFinal,
} from '@nara/crypto/wire'
import type { CheckpointPayload, CheckpointProposal, CheckpointVote } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import {
  type CheckpointEvent,
  type CheckpointService,
  type CheckpointServiceOptions,
  createCheckpointService,
} from '../../src/checkpoint-service.js'
import { fakeClock, scriptedRandom } from '../helpers/fake-clock.js'

type Signed = Pick<
  CheckpointVote,
  'attester_id' | 'subject_id' | 'as_of_time' | 'observation' | 'last_seen_checkpoint_id'
>
const fakeSign = (a: Signed) =>
  `sig|${a.attester_id}|${a.subject_id}|${a.as_of_time}|${a.observation.restarts ?? 0}|${a.observation.total_uptime ?? 0}|${a.observation.start_time ?? 0}|${a.last_seen_checkpoint_id ?? ''}`

/** Stands in for the plaza's final check: the listed voters whose signature verifies. */
const fakeVerifiedVoters = (f: CheckpointPayload): string[] =>
  (f.voter_ids ?? []).filter(
    (id, i) =>
      f.signatures?.[i] ===
      fakeSign({
        attester_id: id,
        subject_id: f.subject_id,
        as_of_time: f.as_of_time,
        observation: f.observation,
        last_seen_checkpoint_id: f.previous_checkpoint_id,
      }),
  )

const VALUES = { restarts: 0, total_uptime: 1000, start_time: 1_768_000_000 }

/** A final about n0 listing 5 voters (which of them verified is up to each test). */
const N0_FINAL: CheckpointPayload = {
  version: 2,
  subject: 'n0',
  subject_id: 'id0',
  observation: VALUES,
  as_of_time: 1_768_774_453,
  round: 1,
  voter_ids: ['id0', 'id2', 'id3', 'id4', 'id5'],
  signatures: ['a', 'b', 'c', 'd', 'e'],
}

interface TownOptions {
  view?: (voter: number) => typeof VALUES | undefined
  /** The own proposal signature of nara `i` (default: the fake one). */
  sign?: (i: number, p: CheckpointProposal) => string
  /** The plaza's signature over a vote of nara `i` (default: the fake one). */
  signVote?: (i: number, v: CheckpointVote) => string
  /** The plaza's check of a final: the verified voters (default: the fake check). */
  verifiedVoters?: (f: CheckpointPayload, id: string) => readonly string[]
  /** `firstAfterMs` of n0 (default: none, one cadence). */
  firstAfterMs?: number
}

/**
 * `size` services wired to each other as the plaza would: it signs votes when it publishes them,
 * and delivers a final with the voters whose signatures it verified.
 */
function town(size: number, opts: TownOptions = {}) {
  // Only n0 reaches its cadence during a test; the others only vote.
  const clock = fakeClock()
  const services: CheckpointService[] = []
  const events: Array<CheckpointEvent & { who: string }> = []
  const finals: Array<{ final: CheckpointPayload; id: string; voters: readonly string[] }> = []
  for (let i = 0; i < size; i++) {
    const name = `n${i}`
    const options: CheckpointServiceOptions = {
      me: { name, naraId: `id${i}` },
      clock,
      random: scriptedRandom(i / size),
      signOwnProposal: (p) => opts.sign?.(i, p) ?? fakeSign(p),
      onlinePeers: () => size - 1,
      ownValues: () => VALUES,
      viewOf: () => (opts.view ? opts.view(i) : VALUES),
      publishProposal: (p) => {
        for (const o of services) o.onProposal(p)
      },
      publishVote: (v) => {
        expect(v.signature).toBe('')
        const signed = { ...v, signature: opts.signVote?.(i, v) ?? fakeSign(v) }
        for (const o of services) o.onVote(signed)
      },
      publishFinal: (f) => {
        const id = `final-${finals.length}`
        const voters = (opts.verifiedVoters ?? fakeVerifiedVoters)(f, id)
        finals.push({ final: f, id, voters })
        for (const o of services) o.onFinal({ id, checkpoint: f, voters })
        return id
      },
      everyMs: i === 0 ? 10_000 : 1e12,
      ...(i === 0 && opts.firstAfterMs !== undefined ? { firstAfterMs: opts.firstAfterMs } : {}),
      checkMs: 1_000,
      voteWindowMs: 5_000,
      minPeers: 6,
      finalMinValid: 3,
      onEvent: (e) => events.push({ ...e, who: name }),
    }
    services.push(createCheckpointService(options))
  }
  return { clock, services, events, finals }
}

const reasons = (events: CheckpointEvent[], kind: 'ignored' | 'final-rejected') =>
  events.flatMap((e) => (e.kind === kind ? [e.reason] : []))

describe('checkpoint service', () => {
  it('does not propose before the cadence or with too few peers online', () => {
    const { clock, services, events } = town(3)
    for (const s of services) s.start()
    clock.advance(60_000)
    expect(events.filter((e) => e.kind === 'proposed')).toHaveLength(0)
  })

  it('proposes first after firstAfterMs, then on the cadence', () => {
    const { clock, services, events } = town(7, { firstAfterMs: 3_000 })
    for (const s of services) s.start()
    const proposals = () => events.filter((e) => e.kind === 'proposed').length
    clock.advance(2_999)
    expect(proposals()).toBe(0)
    clock.advance(1)
    expect(proposals()).toBe(1)
    clock.advance(9_999)
    expect(proposals()).toBe(1)
    clock.advance(2_000)
    expect(proposals()).toBe(2)
  })

  it('proposes on the cadence, gathers votes, finalizes, and the others accept the final', () => {
    const { clock, services, events, finals } = town(7)
    services[0]!.start()
    for (const s of services.slice(1)) s.start()
    clock.advance(10_000)
    clock.advance(5_000)
    expect(finals.length).toBeGreaterThanOrEqual(1)
    const first = finals[0]!
    expect(first.final.subject).toBe('n0')
    expect(first.final.voter_ids?.[0]).toBe('id0')
    expect(new Set(first.final.voter_ids).size).toBe(first.final.voter_ids?.length)
    expect(first.final.signatures?.length).toBeGreaterThanOrEqual(6)
    // Every signature it lists verifies: nothing needs checking before it goes out.
    expect(first.voters).toEqual(first.final.voter_ids)
    const accepted = events.filter((e) => e.kind === 'final-accepted' && e.subject === 'n0')
    expect(accepted).toHaveLength(6)
    expect(services[3]!.state().latest.n0).toBe(first.id)
  })

  it('votes with its own values when the proposal is too far off, and no final is published', () => {
    const { clock, services, events, finals } = town(7, {
      view: (voter) => ({ ...VALUES, total_uptime: 5000 + voter * 1000 }),
    })
    for (const s of services) s.start()
    clock.advance(10_000)
    clock.advance(15_000)
    const votes = events.filter((e) => e.kind === 'voted' && e.round === 1)
    expect(votes).toHaveLength(6)
    expect(votes.every((v) => v.kind === 'voted' && !v.approved)).toBe(true)
    expect(finals.filter((f) => f.final.round === 1)).toHaveLength(0)
    expect(events.some((e) => e.kind === 'failed')).toBe(true)
  })

  it('counts a voter once even when its vote arrives twice, and only version-2 votes', () => {
    const { clock, services, events } = town(7)
    for (const s of services) s.start()
    clock.advance(10_000)
    const p = services[0]!.state().pending
    expect(p).toBeDefined()
    const vote: CheckpointVote = {
      version: 2,
      subject: 'n0',
      subject_id: 'id0',
      observation: VALUES,
      attester: 'n1',
      attester_id: 'id1',
      as_of_time: p!.asOfTime,
      signature: 'sig',
      proposal_ts: p!.asOfTime,
      round: 1,
      approved: true,
    }
    services[0]!.onVote(vote)
    services[0]!.onVote(vote)
    services[0]!.onVote({ ...vote, attester_id: 'id2', version: 3 })
    expect(services[0]!.state().pending?.votes).toBe(1)
    expect(reasons(events, 'ignored')).toEqual(['duplicate-voter', 'version'])
  })

  it('records a final only with finalMinValid verified voters and a subject_id, never about itself', () => {
    const { services, events } = town(7)
    const s = services[1]!
    s.start()
    const checkpoint = N0_FINAL
    expect(s.onFinal({ id: 'few', checkpoint, voters: ['id0', 'id2'] })).toBe(false)
    expect(s.onFinal({ id: 'twice', checkpoint, voters: ['id0', 'id2', 'id2'] })).toBe(false)
    const noId = { ...checkpoint, subject_id: '' }
    expect(s.onFinal({ id: 'no-id', checkpoint: noId, voters: ['id0', 'id2', 'id3'] })).toBe(false)
    const own = { ...checkpoint, subject: 'n1', subject_id: 'id1' }
    expect(s.onFinal({ id: 'own', checkpoint: own, voters: ['id0', 'id2', 'id3'] })).toBe(false)
    expect(reasons(events, 'final-rejected')).toEqual([
      'too-few-valid-signatures',
      'too-few-valid-signatures',
      'malformed',
      'own-subject',
    ])
    expect(s.state().latest).toEqual({})
    expect(s.onFinal({ id: 'good', checkpoint, voters: ['id0', 'id2', 'id3'] })).toBe(true)
    expect(s.state()).toMatchObject({
      finalsRejected: 4,
      finalsAccepted: 1,
      latest: { n0: 'good' },
    })
  })

  it('genuine final replayed later does not change latest: it only moves forward in as_of_time', () => {
    const { services, events } = town(7)
    const s = services[1]!
    s.start()
    const voters = ['id0', 'id2', 'id3']
    const base = N0_FINAL
    const newer = { ...base, as_of_time: base.as_of_time + 86_400 }
    expect(s.onFinal({ id: 'day-1', checkpoint: base, voters })).toBe(true)
    expect(s.onFinal({ id: 'day-2', checkpoint: newer, voters })).toBe(true)
    // The day-1 final replayed 20 min later: a new outer ts, so a new id; same signed content.
    expect(s.onFinal({ id: 'day-1-replayed', checkpoint: base, voters })).toBe(false)
    // The day-2 final again (equal as_of_time) does not replace it either.
    expect(s.onFinal({ id: 'day-2-replayed', checkpoint: newer, voters })).toBe(false)
    expect(s.state()).toMatchObject({
      finalsAccepted: 2,
      finalsRejected: 2,
      latest: { n0: 'day-2' },
    })
    expect(reasons(events, 'final-rejected')).toEqual(['not-newer', 'not-newer'])
  })

  it('ignores proposals with version < 2 and about naras it does not know', () => {
    const { services, events } = town(7, { view: () => undefined })
    const s = services[1]!
    s.start()
    const p: CheckpointProposal = {
      version: 2,
      subject: 'n0',
      subject_id: 'id0',
      observation: VALUES,
      attester: 'n0',
      attester_id: 'id0',
      as_of_time: 5,
      signature: 'sig',
      round: 1,
    }
    s.onProposal({ ...p, version: 1 })
    s.onProposal(p)
    expect(reasons(events, 'ignored')).toEqual(['version', 'unknown-subject'])
  })

  it('a final built from real signatures verifies with @nara/crypto, every listed voter', () => {
    const keys = Array.from({ length: 7 }, (_, i) =>
      keypairFromSeed(new Uint8Array(32).fill(i + 1)),
    )
    // Names too: a final needs its subject's own signature by the key pinned to its name.
    const keyring = createKeyLookup(
      keys.map((k, i) => ({ name: `n${i}`, id: `id${i}`, publicKey: k.publicKey })),
    )
    const verdicts: Array<ReturnType<typeof verifyCheckpointFinal>> = []
    const { clock, services, finals } = town(7, {
      sign: (i, p) => signAttestation(p, keys[i]!.seed),
      signVote: (i, v) => signAttestation(v, keys[i]!.seed),
      verifiedVoters: (f) => {
        const event = {
          id: '',
          ts: BigInt(clock.now()) * 1_000_000n,
          svc: 'checkpoint',
          checkpoint: f,
        }
        event.id = computeEventId(event)
        const verdict = verifyCheckpointFinal(event, keyring)
        verdicts.push(verdict)
        return verdict.voterIds
      },
    })
    for (const s of services) s.start()
    clock.advance(15_000)
    expect(finals.length).toBeGreaterThanOrEqual(1)
    const listed = finals[0]!.final.voter_ids ?? []
    expect(listed.length).toBeGreaterThanOrEqual(5)
    expect(verdicts[0]).toMatchObject({ verdict: 'accept', validVoters: listed.length })
    expect(finals[0]!.voters).toEqual(finals[0]!.final.voter_ids)
    expect(services[1]!.state().latest.n0).toBe(finals[0]!.id)
  })
})
