/**
 * Drops of signed messages: rate limits per claimed sender, the howdy round's replay memory,
 * replay memories that fail closed, checkpoint voters counted once, unsigned kinds, and the same
 * verdicts for a burst whatever verifies it. Each message is published raw to a listening nara.
 */
import {
  buildHeyThere,
  buildSocial,
  computeNaraId,
  encodeSoul,
  generateSoul,
  keypairFromSoul,
} from '@nara/crypto'
import { checkpointVoterAttestation, computeEventId, signAttestation } from '@nara/crypto/wire'
import { encodeSyncEvent, type HowdyEvent, type SyncEvent, TOPICS } from '@nara/protocol'
import { expect } from 'vitest'
import { listen, SMALL_BUCKET } from './listening.js'
import type { Check } from './matrix.js'
import { enc, howdyBytes, identity, NS, socialBytes } from './wire-fixtures.js'

/** Rate-limits per claimed sender: a flood from one name does not starve another. */
export const rateLimitsPerSender: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  const carol = identity('carol')
  keyring.pin({ name: 'alice', publicKey: alice.publicKey })
  keyring.pin({ name: 'carol', publicKey: carol.publicKey })
  const now = BigInt(clock.now()) * NS
  for (let i = 0; i < 20; i++)
    await send(TOPICS.social, socialBytes(alice, `r${i}`, now + BigInt(i)))
  await send(TOPICS.social, socialBytes(carol, 'random', now))
  expect(counters().dropped['rate-limited']).toBe(15)
  expect(delivered.filter((e) => e.sender === 'alice')).toHaveLength(5)
  expect(delivered.filter((e) => e.sender === 'carol')).toHaveLength(1)
  clock.advance(1000) // one token back for alice
  await send(TOPICS.social, socialBytes(alice, 'later', now + 100n))
  expect(delivered.filter((e) => e.sender === 'alice')).toHaveLength(6)
}

/**
 * Remembers a howdy From/To/Seq for the howdy window only: Seq 1 of the next round after a new
 * hey_there is fresh. Go restarts Seq at 1 in every howdy round (a round follows each hey_there
 * of To), so the replay memory must not outlive the round.
 */
export const howdyRoundMemory: Check = async (s) => {
  const { send, counters, delivered, clock } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  const bob = identity('bob')
  const bobHello = (tsNs: bigint) =>
    enc.encode(
      encodeSyncEvent(
        buildHeyThere(
          { name: 'bob', publicKey: bob.publicKey, naraId: bob.id, tsNs },
          bob,
        ) as SyncEvent,
      ),
    )
  const howdys = () =>
    delivered.filter((e) => e.kind === 'howdy').map((e) => (e.message as HowdyEvent).Seq)
  await send(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
  expect(counters().dropped.stale).toBe(1) // no hey_there from bob yet
  await send(TOPICS.heyThere, bobHello(BigInt(clock.now()) * NS))
  await send(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
  await send(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
  await send(TOPICS.howdy, howdyBytes(alice, 'bob', 2))
  for (const junk of ['null', '[]', '{"From":1}', '\u0000', '{"Me":{}}']) {
    await send(TOPICS.howdy, enc.encode(junk))
  }
  expect(howdys()).toEqual([1, 2])
  // The repeated Seq 1 has a reason of its own (rejoins repeat Seqs in a healthy plaza).
  expect(counters().dropped['repeated-seq']).toBe(1)
  expect(counters().dropped.stale).toBe(1)
  // 31 s later the round is over: alice's old howdy replayed is stale (no fresh hey_there)...
  clock.advance(31_000)
  await send(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
  expect(counters().dropped.stale).toBe(2)
  // ...and after bob reconnects, alice's genuine Seq 1 of the new round is delivered.
  await send(TOPICS.heyThere, bobHello(BigInt(clock.now()) * NS))
  await send(TOPICS.howdy, howdyBytes(alice, 'bob', 1))
  expect(howdys()).toEqual([1, 2, 1])
}

/** Fails closed when a replay memory is full of unexpired entries (never evicts one). */
export const replayMemoryFailsClosed: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, {
    dedupeSize: 3,
    rateLimit: false,
  })
  const alice = identity('alice')
  keyring.pin({ name: 'alice', publicKey: alice.publicKey })
  const now = BigInt(clock.now()) * NS
  const first = socialBytes(alice, 'r0', now)
  await send(TOPICS.social, first)
  for (let i = 1; i < 5; i++)
    await send(TOPICS.social, socialBytes(alice, `r${i}`, now + BigInt(i)))
  expect(delivered).toHaveLength(3)
  expect(counters().dropped.overloaded).toBe(2)
  await send(TOPICS.social, first) // still remembered: no replay
  expect(counters().dropped.duplicate).toBe(1)
}

/** Counts each checkpoint voter once (a valid signature listed five times is not five voters). */
export const checkpointVoterOnce: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  // The subject's own signature, by the key pinned to its name, is one of the voters.
  keyring.pin({ name: 'alice', naraId: alice.id, publicKey: alice.publicKey })
  const others = Array.from({ length: 4 }, (_, i) => {
    const { soul } = generateSoul(`voter-${i}`)
    const kp = keypairFromSoul(soul)
    const id = computeNaraId(soul, `voter-${i}`)
    keyring.pin({ naraId: id, publicKey: kp.publicKey })
    return { id, seed: kp.seed, soul: encodeSoul(soul) }
  })
  const voters = [{ id: alice.id, seed: alice.seed, soul: '' }, ...others]
  const base = {
    version: 2,
    subject: 'alice',
    subject_id: alice.id,
    observation: { restarts: 100, total_uptime: 50000, start_time: 1624066568 },
    as_of_time: 1768774453,
    round: 1,
  }
  const final = (list: typeof voters, tsOffset: bigint) => {
    const signatures = list.map((v) =>
      signAttestation(checkpointVoterAttestation(base, v.id), v.seed),
    )
    const ev = {
      id: '',
      ts: BigInt(clock.now()) * NS + tsOffset,
      svc: 'checkpoint',
      checkpoint: { ...base, voter_ids: list.map((v) => v.id), signatures },
    }
    ev.id = computeEventId(ev as never)
    return enc.encode(encodeSyncEvent(ev as unknown as SyncEvent))
  }
  const v0 = voters[0] as (typeof voters)[number]
  await send(TOPICS.checkpointFinal, final([v0, v0, v0, v0, v0], 1n))
  expect(counters().dropped['duplicate-voter']).toBe(1)
  await send(TOPICS.checkpointFinal, final(voters, 2n))
  expect(delivered).toHaveLength(1)
  expect(delivered[0]?.voters).toHaveLength(5)
  expect(delivered[0]?.sender).toBe('alice')
}

/** Delivers unauthenticated kinds flagged, or drops them as unsigned when not accepted. */
export const unsignedKinds: Check = async (s) => {
  const request = '{"From":"alice","Subjects":["alice"]}'
  const a = await listen(s, SMALL_BUCKET)
  await a.send('nara/ledger/bob/request', enc.encode(request))
  expect(a.delivered[0]).toMatchObject({
    kind: 'ledger_request',
    sender: 'alice',
    authenticated: false,
  })
  const b = await listen(s, { ...SMALL_BUCKET, acceptUnsignedKinds: [] }, 'carol')
  await b.send('nara/ledger/carol/request', enc.encode(request))
  expect(b.counters().dropped.unsigned).toBe(1)
}

/** A burst of genuine events with one forgery in it: exactly the forgery is dropped. */
export const burstWithForgery: Check = async (s) => {
  const { burst, counters, keyring, clock, delivered } = await listen(s, { rateLimit: false })
  const alice = identity('alice')
  const mallory = identity('mallory')
  keyring.pin({ name: 'alice', publicKey: alice.publicKey })
  const now = BigInt(clock.now()) * NS
  const messages = Array.from(
    { length: 50 },
    (_, i) => [TOPICS.social, socialBytes(alice, `r${i}`, now + BigInt(i))] as const,
  )
  const forged = buildSocial(
    { type: 'tease', actor: 'alice', target: 'bob', reason: 'x', tsNs: now },
    { name: 'alice', seed: mallory.seed },
  )
  await burst([...messages, [TOPICS.social, enc.encode(encodeSyncEvent(forged as SyncEvent))]])
  expect(delivered).toHaveLength(50)
  expect(counters().dropped['bad-signature']).toBe(1)
  expect(counters().verifications).toBe(51)
}
