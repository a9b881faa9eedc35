/**
 * Security regressions of checkpoints, replays and budgets: one key is one voter, signatures are
 * decoded strictly and votes deduplicated on the signed text, as_of_time is bounded, replayed or
 * older newspapers are refused, and forged junk cannot spend a genuine sender's budget.
 */
import { buildSocial } from '@nara/crypto'
import { checkpointVoterAttestation, computeEventId, signAttestation } from '@nara/crypto/wire'
import {
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeSyncEvent,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import { expect } from 'vitest'
import { listen, SMALL_BUCKET } from './listening.js'
import type { Check } from './matrix.js'
import {
  enc,
  heyThereBytes,
  identity,
  NS,
  newspaperBytes,
  signedVote,
  socialBytes,
} from './wire-fixtures.js'

/** One key is one checkpoint voter: a final from one key under many IDs is refused. */
export const oneKeyOneVoter: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, SMALL_BUCKET)
  const mallory = identity('mallory')
  const now = BigInt(clock.now()) * NS
  const ids = Array.from({ length: 5 }, (_, i) => `FAKEID${i}`)
  for (const [i, id] of ids.entries()) {
    await send(TOPICS.heyThere, heyThereBytes(mallory, now + BigInt(i), id))
  }
  expect(ids.map((id) => keyring.byId(id) !== undefined)).toEqual([
    true,
    false,
    false,
    false,
    false,
  ])
  const base = {
    version: 2,
    subject: 'carol',
    subject_id: 'CAROLID',
    observation: { restarts: 9, total_uptime: 9, start_time: 9 },
    as_of_time: Math.floor(clock.now() / 1000),
    round: 1,
  }
  const signatures = ids.map((id) =>
    signAttestation(checkpointVoterAttestation(base, id), mallory.seed),
  )
  const ev = {
    id: '',
    ts: now + 100n,
    svc: 'checkpoint',
    checkpoint: { ...base, voter_ids: ids, signatures },
  }
  ev.id = computeEventId(ev as never)
  await send(TOPICS.checkpointFinal, enc.encode(encodeSyncEvent(ev as unknown as SyncEvent)))
  expect(delivered.filter((e) => e.kind === 'checkpoint_final')).toHaveLength(0)
  expect(counters().dropped['too-few-signatures']).toBe(1)
}

/** Decodes signatures strictly and deduplicates votes on the signed text: one vote is delivered once. */
export const strictVoteSignatures: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  keyring.pin({ name: 'alice', naraId: alice.id, publicKey: alice.publicKey })
  const t = Math.floor(clock.now() / 1000)
  const vote = signedVote({
    subject: 'bob',
    attester: 'alice',
    attesterId: alice.id,
    timeS: t,
    seed: alice.seed,
  })
  const sendVote = (v: object) =>
    send(TOPICS.checkpointVote, enc.encode(encodeCheckpointVote(v as never)))
  await sendVote(vote)
  const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
  const sig = vote.signature
  const lax = `${sig.slice(0, 85)}${ALPHA[ALPHA.indexOf(sig[85] as string) ^ 1]}==`
  await sendVote({ ...vote, signature: lax }) // non-zero trailing bits
  await sendVote({ ...vote, signature: sig.replace(/\+/g, '-').replace(/\//g, '_') }) // URL-safe (if any)
  await sendVote({ ...vote, round: 2, approved: false }) // unsigned fields changed: same attestation
  expect(delivered).toHaveLength(1)
  const dropped = counters().dropped
  expect((dropped['bad-signature'] ?? 0) + (dropped.duplicate ?? 0)).toBe(3)
  expect(dropped['bad-signature']).toBeGreaterThanOrEqual(1)
}

/** Refuses proposals and votes whose as_of_time is outside the freshness window. */
export const asOfTimeWindow: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  keyring.pin({ name: 'alice', naraId: alice.id, publicKey: alice.publicKey })
  const proposal = (asOf: number) => {
    const p = {
      version: 2,
      subject: 'alice',
      subject_id: alice.id,
      observation: { restarts: 1, total_uptime: 2, start_time: 3 },
      attester: 'alice',
      attester_id: alice.id,
      as_of_time: asOf,
      round: 1,
      signature: '',
    }
    p.signature = signAttestation(p, alice.seed)
    return enc.encode(encodeCheckpointProposal(p as never))
  }
  const t = Math.floor(clock.now() / 1000)
  await send(TOPICS.checkpointPropose, proposal(t - 86_400)) // a day old
  await send(TOPICS.checkpointPropose, proposal(t + 3_600)) // an hour ahead
  await send(TOPICS.checkpointPropose, proposal(t))
  expect(counters().dropped.stale).toBe(2)
  expect(delivered).toHaveLength(1)
}

/** A replayed newspaper is a duplicate, and an older one (lower Uptime) is stale until the next hey_there. */
export const newspaperReplayAndUptime: Check = async (s) => {
  const { send, counters, clock, delivered } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  await send(TOPICS.heyThere, heyThereBytes(alice, BigInt(clock.now()) * NS))
  const old = newspaperBytes('alice', alice, 100)
  await send('nara/newspaper/alice', old)
  await send('nara/newspaper/alice', old)
  expect(counters().dropped.duplicate).toBe(1)
  await send('nara/newspaper/alice', newspaperBytes('alice', alice, 200))
  clock.advance(24 * 3600_000) // a day later the hash memory has expired...
  await send('nara/newspaper/alice', old)
  expect(counters().dropped.stale).toBe(1) // ...but Uptime 100 < 200
  // After a hey_there (a restart), Uptime starts again.
  await send(TOPICS.heyThere, heyThereBytes(alice, BigInt(clock.now()) * NS))
  await send('nara/newspaper/alice', newspaperBytes('alice', alice, 5))
  expect(delivered.filter((e) => e.kind === 'newspaper').map((e) => e.message)).toHaveLength(3)
}

/** Junk claiming alice cannot rate-limit alice: only verified messages take from her bucket. */
export const junkCannotSpendBudget: Check = async (s) => {
  // Junk claiming alice does spend her claimed bucket BEFORE verification (her key is public:
  // only verifying tells it apart; see pre-verify-budgets.test.ts). Here that bucket is large
  // enough for the 40 junk messages, so what is checked is the authenticated bucket after it.
  const claimedRateLimit = { capacity: 100, refillPerSecond: 10 }
  const { send, counters, keyring, clock, delivered } = await listen(s, {
    ...SMALL_BUCKET,
    claimedRateLimit,
  })
  const alice = identity('alice')
  const mallory = identity('mallory')
  keyring.pin({ name: 'alice', publicKey: alice.publicKey })
  const now = BigInt(clock.now()) * NS
  for (let i = 0; i < 20; i++) {
    // Forged (mallory's key) and plain junk, both claiming "emitter":"alice".
    const forged = buildSocial(
      { type: 'tease', actor: 'alice', target: 'bob', reason: `f${i}`, tsNs: now + BigInt(i) },
      { name: 'alice', seed: mallory.seed },
    )
    await send(TOPICS.social, enc.encode(encodeSyncEvent(forged as SyncEvent)))
    await send(TOPICS.social, enc.encode(`{"emitter":"alice","junk":${i}}`))
  }
  await send(TOPICS.social, socialBytes(alice, 'genuine', now))
  expect(delivered.map((e) => e.sender)).toEqual(['alice'])
  expect(counters().dropped['rate-limited']).toBeUndefined()
}
