import { describe, expect, it } from 'vitest'
import {
  type AttestationLike,
  type CheckpointEvent,
  type CheckpointService,
  createCheckpointService,
  type FinalLike,
} from '../../src/checkpoint-service.js'
import { fakeClock, scriptedRandom } from '../helpers/fake-clock.js'

const fakeSign = (a: AttestationLike) =>
  `sig|${a.attester_id}|${a.subject_id}|${a.as_of_time}|${a.observation.restarts ?? 0}|${a.observation.total_uptime ?? 0}|${a.observation.start_time ?? 0}|${a.last_seen_checkpoint_id ?? ''}`
const fakeVerify = (a: AttestationLike, key: string) =>
  key === `K-${a.attester_id}` && a.signature === fakeSign(a)

const VALUES = { restarts: 0, total_uptime: 1000, start_time: 1_768_000_000 }

function town(size: number, opts: { view?: (voter: number) => typeof VALUES } = {}) {
  // Only n0 reaches its cadence during a test; the others only vote.
  const clock = fakeClock()
  const services: CheckpointService[] = []
  const events: Array<CheckpointEvent & { who: string }> = []
  const finals: Array<{ final: FinalLike; id: string }> = []
  for (let i = 0; i < size; i++) {
    const name = `n${i}`
    const s = createCheckpointService({
      me: { name, naraId: `id${i}`, publicKey: `K-id${i}` },
      clock,
      random: scriptedRandom(i / size),
      sign: fakeSign,
      verify: fakeVerify,
      keyById: (id) => `K-${id}`,
      onlinePeers: () => size - 1,
      ownValues: () => VALUES,
      viewOf: () => opts.view?.(i) ?? VALUES,
      publishProposal: (p) => {
        for (const o of services) o.onProposal(p)
      },
      publishVote: (v) => {
        for (const o of services) o.onVote(v)
      },
      publishFinal: (f) => {
        const id = `final-${finals.length}`
        finals.push({ final: f, id })
        for (const o of services) o.onFinal(f, id)
        return id
      },
      everyMs: i === 0 ? 10_000 : 1e12,
      checkMs: 1_000,
      voteWindowMs: 5_000,
      minPeers: 6,
      finalMinValid: 3,
      onEvent: (e) => events.push({ ...e, who: name }),
    })
    services.push(s)
  }
  return { clock, services, events, finals }
}

describe('checkpoint service', () => {
  it('does not propose before the cadence or with too few peers online', () => {
    const { clock, services, events } = town(3)
    for (const s of services) s.start()
    clock.advance(60_000)
    expect(events.filter((e) => e.kind === 'proposed')).toHaveLength(0)
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

  it('counts a voter once even when its vote arrives twice', () => {
    const { clock, services, events } = town(7)
    for (const s of services) s.start()
    clock.advance(10_000)
    const p = services[0]!.state().pending
    expect(p).toBeDefined()
    const vote = {
      version: 2,
      subject: 'n0',
      subject_id: 'id0',
      observation: VALUES,
      attester: 'n1',
      attester_id: 'id1',
      as_of_time: p!.asOfTime,
      signature: '',
      proposal_ts: p!.asOfTime,
      round: 1,
      approved: true,
    }
    const signed = { ...vote, signature: fakeSign(vote) }
    services[0]!.onVote(signed)
    services[0]!.onVote(signed)
    expect(services[0]!.state().pending?.votes).toBe(1)
    expect(events.some((e) => e.kind === 'ignored' && e.reason === 'duplicate-voter')).toBe(true)
  })

  it('rejects a forged final: one voter listed twice and junk signatures', () => {
    const { services } = town(7)
    const s = services[1]!
    s.start()
    const base = {
      version: 2,
      subject: 'n0',
      subject_id: 'id0',
      observation: VALUES,
      as_of_time: 1_768_774_453,
      round: 1,
    }
    const realSig = fakeSign({ ...base, attester: '', attester_id: 'id0', signature: '' })
    const forged: FinalLike = {
      ...base,
      voter_ids: ['id0', 'id0', 'id2', 'id3', 'id4'],
      signatures: [realSig, realSig, 'junk', 'junk', 'junk'],
    }
    expect(s.onFinal(forged, 'x')).toBe(false)
    const junkOnly: FinalLike = {
      ...base,
      voter_ids: ['id0', 'id2', 'id3', 'id4', 'id5'],
      signatures: [realSig, 'junk', 'junk', 'junk', 'junk'],
    }
    expect(s.onFinal(junkOnly, 'y')).toBe(false)
    expect(s.onFinal({ ...base, voter_ids: ['id0'], signatures: [realSig] }, 'z')).toBe(false)
    expect(s.state().finalsRejected).toBe(3)
    expect(s.state().latest).toEqual({})
  })

  it('ignores proposals with an unknown key, a bad signature or version < 2', () => {
    const { services, events } = town(7)
    const s = services[1]!
    s.start()
    const p = {
      version: 2,
      subject: 'n0',
      subject_id: 'id0',
      observation: VALUES,
      attester: 'n0',
      attester_id: 'id0',
      as_of_time: 5,
      signature: 'bad',
      round: 1,
    }
    s.onProposal(p)
    s.onProposal({ ...p, version: 1, signature: fakeSign(p) })
    const reasons = events
      .filter((e) => e.kind === 'ignored')
      .map((e) => (e.kind === 'ignored' ? e.reason : ''))
    expect(reasons).toEqual(['bad-signature', 'version'])
  })
})
