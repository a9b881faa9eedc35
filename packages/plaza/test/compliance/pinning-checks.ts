/**
 * Security regressions of key pinning: one key speaks for one name, newspapers pin at a weaker
 * (topic-only) tier that never blocks a signed claim, and a squatted NaraID verifies nothing.
 * Each message is published raw to a listening nara.
 */
import { signSyncEvent } from '@nara/crypto/wire'
import { encodeCheckpointVote, encodeSyncEvent, type SyncEvent, TOPICS } from '@nara/protocol'
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
  type TestIdentity,
} from './wire-fixtures.js'

/** One key, one name: alice's genuine newspaper replayed on mallory's topic is never accepted as mallory. */
export const newspaperOnAnotherTopic: Check = async (s) => {
  const { send, counters, keyring, clock, delivered, conflicts } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  const mallory = identity('mallory')
  const now = BigInt(clock.now()) * NS
  await send(TOPICS.heyThere, heyThereBytes(alice, now))
  // Alice's genuine newspaper, replayed on mallory's topic (envelope From rewritten): her key
  // already speaks for alice, so mallory gets neither a pin nor a topic-only pin.
  await send('nara/newspaper/mallory', newspaperBytes('mallory', alice))
  expect(counters().dropped['key-conflict']).toBe(1)
  expect(conflicts.at(-1)).toMatchObject({
    kind: 'newspaper',
    label: 'publicKey',
    name: 'mallory',
    pinnedKey: alice.b64,
  })
  expect(keyring.lookup('mallory')).toBeUndefined()
  expect(keyring.weakByName('mallory')).toBeUndefined()
  expect(keyring.nameForId(alice.id)).toBe('alice')
  // Alice's own newspaper: her name is proven by her signed hey_there.
  await send('nara/newspaper/alice', newspaperBytes('alice', alice))
  expect(delivered.map((e) => [e.kind, e.sender, e.senderId, e.nameProof])).toEqual([
    ['hey_there', 'alice', alice.id, 'signature'],
    ['newspaper', 'alice', alice.id, 'signature'],
  ])
  // With mallory pinned, alice's status on mallory's topic is a key conflict on the name.
  await send(TOPICS.heyThere, heyThereBytes(mallory, now + 1n))
  await send('nara/newspaper/mallory', newspaperBytes('mallory', alice, 2))
  expect(counters().dropped['key-conflict']).toBe(2)
  expect(conflicts.at(-1)).toMatchObject({ kind: 'newspaper', label: 'name', name: 'mallory' })
  expect(delivered.filter((e) => e.kind === 'newspaper')).toHaveLength(1)
  expect(counters().dropped['unknown-sender']).toBeUndefined()
}

/** Newspaper trust on first use at a weaker tier: an unknown nara is learned from its newspaper, name flagged topic-only. */
export const newspaperTofuTopicOnly: Check = async (s) => {
  const { send, counters, keyring, clock, delivered, conflicts } = await listen(s, SMALL_BUCKET)
  const carol = identity('carol')
  const mallory = identity('mallory')
  const pinsBefore = keyring.size
  // The nara's own pins (its speakers'), before anything is heard.
  const persistedBefore = keyring.toJSON()
  // carol joined before us and never says hey_there again: her newspaper is all we hear.
  await send('nara/newspaper/carol', newspaperBytes('carol', carol))
  expect(delivered.map((e) => [e.kind, e.sender, e.senderId, e.nameProof])).toEqual([
    ['newspaper', 'carol', undefined, 'topic'],
  ])
  expect(delivered[0]?.authenticated).toBe(true)
  // A weak pin: invisible to lookups and verification, never persisted, binds no NaraID.
  expect(keyring.weakByName('carol')).toEqual(carol.publicKey)
  expect(keyring.byName('carol')).toBeUndefined()
  expect(keyring.lookup('carol')).toBeUndefined()
  expect(keyring.byId(carol.id)).toBeUndefined()
  expect(keyring.toJSON()).toEqual(persistedBefore)
  expect(keyring.size).toBe(pinsBefore)
  expect(keyring.weakSize).toBe(1)
  // Her next newspaper, same key: accepted at the same tier.
  await send('nara/newspaper/carol', newspaperBytes('carol', carol, 2))
  expect(delivered.at(-1)).toMatchObject({ sender: 'carol', nameProof: 'topic' })
  // Topic-only claims that disagree: the first one wins.
  await send('nara/newspaper/carol', newspaperBytes('carol', mallory, 3))
  await send('nara/newspaper/carol-2', newspaperBytes('carol-2', carol, 4))
  expect(counters().dropped['key-conflict']).toBe(2)
  expect(conflicts.map((e) => [e.label, e.name, e.weakPin])).toEqual([
    ['name', 'carol', undefined],
    ['publicKey', 'carol-2', undefined],
  ])
  expect(keyring.weakByName('carol-2')).toBeUndefined()
  // Her signed hey_there (same name, same key) upgrades the weak pin to a normal one.
  await send(TOPICS.heyThere, heyThereBytes(carol, BigInt(clock.now()) * NS))
  expect(keyring.lookup('carol')).toBe(carol.b64)
  expect(keyring.weakByName('carol')).toBeUndefined()
  expect(keyring.nameForId(carol.id)).toBe('carol')
  expect(counters().weakPinsSuperseded).toBe(0)
  expect(conflicts).toHaveLength(2)
  await send('nara/newspaper/carol', newspaperBytes('carol', carol, 5))
  expect(delivered.at(-1)).toMatchObject({
    kind: 'newspaper',
    sender: 'carol',
    senderId: carol.id,
    nameProof: 'signature',
  })
}

/** A weak pin never blocks a signed claim: hey_there for the name or the key supersedes it (key-conflict event). */
export const weakPinNeverBlocks: Check = async (s) => {
  const { send, counters, keyring, clock, delivered, conflicts } = await listen(s, SMALL_BUCKET)
  const carol = identity('carol')
  const alice = identity('alice')
  const mallory = identity('mallory')
  const now = BigInt(clock.now()) * NS
  // A replayer is first on carol's topic (mallory's own status, mallory's key)...
  await send('nara/newspaper/carol', newspaperBytes('carol', mallory))
  expect(keyring.weakByName('carol')).toEqual(mallory.publicKey)
  // ...so carol's genuine newspapers are ignored until her next signed claim (residual risk).
  await send('nara/newspaper/carol', newspaperBytes('carol', carol))
  expect(counters().dropped['key-conflict']).toBe(1)
  // Carol's signed hey_there with her key replaces mallory's weak pin.
  await send(TOPICS.heyThere, heyThereBytes(carol, now))
  expect(delivered.at(-1)).toMatchObject({ kind: 'hey_there', sender: 'carol' })
  expect(keyring.lookup('carol')).toBe(carol.b64)
  expect(keyring.weakByName('carol')).toBeUndefined()
  expect(conflicts.at(-1)).toEqual({
    kind: 'hey_there',
    topic: TOPICS.heyThere,
    label: 'name',
    name: 'carol',
    naraId: undefined,
    pinnedKey: mallory.b64,
    offeredKey: carol.b64,
    weakPin: { name: 'carol', publicKey: mallory.b64 },
  })
  await send('nara/newspaper/carol', newspaperBytes('carol', carol, 2))
  expect(delivered.at(-1)).toMatchObject({ kind: 'newspaper', nameProof: 'signature' })
  // A key weakly pinned to another name: alice's key on "dave"'s topic, then alice's
  // signed hey_there as alice. The signed claim wins; dave's weak pin is gone.
  await send('nara/newspaper/dave', newspaperBytes('dave', alice))
  expect(keyring.weakByName('dave')).toEqual(alice.publicKey)
  await send(TOPICS.heyThere, heyThereBytes(alice, now + 1n))
  expect(keyring.lookup('alice')).toBe(alice.b64)
  expect(keyring.weakByName('dave')).toBeUndefined()
  expect(conflicts.at(-1)).toMatchObject({
    kind: 'hey_there',
    label: 'publicKey',
    name: 'alice',
    weakPin: { name: 'dave', publicKey: alice.b64 },
  })
  expect(counters().weakPinsSuperseded).toBe(2)
  expect(counters().dropped['key-conflict']).toBe(1) // superseding drops nothing
  // dave's topic now carries a key that speaks for alice: refused.
  await send('nara/newspaper/dave', newspaperBytes('dave', alice, 3))
  expect(counters().dropped['key-conflict']).toBe(2)
}

/** A signed social upgrades a topic-only pin; a social under an unpinned name is refused even when its ID is bound. */
export const socialUpgradesTopicPin: Check = async (s) => {
  const { send, counters, keyring, clock, delivered } = await listen(s, SMALL_BUCKET)
  const carol = identity('carol')
  const mallory = identity('mallory')
  const now = BigInt(clock.now()) * NS
  await send('nara/newspaper/carol', newspaperBytes('carol', carol))
  await send(TOPICS.social, socialBytes(carol, 'random', now))
  expect(delivered.at(-1)).toMatchObject({
    kind: 'social',
    sender: 'carol',
    nameProof: 'signature',
  })
  expect(keyring.lookup('carol')).toBe(carol.b64)
  expect(keyring.weakByName('carol')).toBeUndefined()
  // mallory's key holds mallory's ID; a social by that key as "erin" (emitter_id = mallory's
  // ID) finds a key through the ID only: it does not speak for erin.
  await send(TOPICS.heyThere, heyThereBytes(mallory, now + 1n))
  const forged = signSyncEvent(
    {
      id: '',
      ts: now + 2n,
      svc: 'social',
      emitter_id: mallory.id,
      social: { type: 'tease', actor: 'erin', target: 'bob', reason: 'x' },
    },
    { name: 'erin', seed: mallory.seed },
  )
  await send(TOPICS.social, enc.encode(encodeSyncEvent(forged as SyncEvent)))
  expect(delivered.filter((e) => e.sender === 'erin')).toHaveLength(0)
  expect(counters().dropped['unknown-sender']).toBe(1)
}

/** One key speaks for one name: alice's key cannot be pinned to a second name. */
export const oneKeyOneName: Check = async (s) => {
  const { send, counters, keyring, clock } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  const now = BigInt(clock.now()) * NS
  await send(TOPICS.heyThere, heyThereBytes(alice, now))
  // alice's key signs a hey_there as "alias" (a first use of that name, with a known key).
  const alias: TestIdentity = { ...alice, name: 'alias' }
  await send(TOPICS.heyThere, heyThereBytes(alias, now + 1n, ''))
  expect(counters().dropped['key-conflict']).toBe(1)
  expect(keyring.lookup('alias')).toBeUndefined()
}

/** A squatted NaraID becomes disputed: alice is still delivered, the ID verifies nothing. */
export const squattedNaraId: Check = async (s) => {
  const { send, counters, keyring, clock, delivered, conflicts } = await listen(s, SMALL_BUCKET)
  const alice = identity('alice')
  const mallory = identity('mallory')
  const now = BigInt(clock.now()) * NS
  // mallory claims alice's ID first (the hey_there ID is not signed).
  await send(TOPICS.heyThere, heyThereBytes(mallory, now, alice.id))
  expect(keyring.nameForId(alice.id)).toBe('mallory')
  // A name shaped like a NaraID is refused outright.
  await send(TOPICS.heyThere, heyThereBytes({ ...mallory, name: alice.id }, now + 1n, ''))
  expect(keyring.lookup(alice.id)).toBe(mallory.b64) // not re-pinned as a name
  // alice's genuine hey_there is delivered, with the disputed ID untrusted.
  await send(TOPICS.heyThere, heyThereBytes(alice, now + 2n))
  const aliceEvent = delivered.find((e) => e.sender === 'alice')
  expect(aliceEvent).toMatchObject({ kind: 'hey_there', authenticated: true, senderId: undefined })
  expect(keyring.byId(alice.id)).toBeUndefined()
  expect(keyring.lookup(alice.id)).toBeUndefined()
  expect(keyring.byName('alice')).toEqual(alice.publicKey)
  expect(counters().idConflicts).toBe(1)
  expect(conflicts).toEqual([
    expect.objectContaining({
      label: 'naraId',
      name: 'alice',
      naraId: alice.id,
      pinnedKey: mallory.b64,
    }),
  ])
  // A vote "by alice's ID" under a name nobody pinned, signed by mallory, finds no key: a
  // disputed ID (bound by no signed claim) cannot verify anything.
  const vote = signedVote({
    subject: 'carol',
    attester: 'mallory-alias',
    attesterId: alice.id,
    timeS: Math.floor(clock.now() / 1000),
    seed: mallory.seed,
  })
  await send(TOPICS.checkpointVote, enc.encode(encodeCheckpointVote(vote as never)))
  expect(delivered.filter((e) => e.kind === 'checkpoint_vote')).toHaveLength(0)
  expect(counters().dropped['unknown-sender']).toBe(1)
  // mallory cannot move on to another ID (one ID per key): id-mismatch.
  await send(TOPICS.heyThere, heyThereBytes(mallory, now + 3n, identity('carol').id))
  expect(counters().dropped['id-mismatch']).toBe(1)
}
