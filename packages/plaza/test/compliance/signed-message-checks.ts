/**
 * Oracle checks of signed messages (WIRE.md §11: TestMQTT_SignedSyncEvents,
 * TestMQTT_NewspaperSignature): genuine messages flow verified, and every forgery, replay or
 * re-keying an attacker publishes raw is dropped and counted by reason.
 */
import { buildHeyThere, buildSocial } from '@nara/crypto'
import { signNewspaperStatus } from '@nara/crypto/wire'
import {
  encodeNewspaperBytes,
  encodeSyncEvent,
  newspaperTopic,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import type { MqttClient } from 'mqtt'
import { expect } from 'vitest'
import type { PlazaEvent } from '../../src/index.js'
import { createManualClock } from '../../src/testing.js'
import { dropsCounted, nextEvent, startAndJoin } from '../helpers.js'
import { nextMessage } from '../raw-client.js'
import type { Subject } from './configurations.js'
import type { Check, Session } from './matrix.js'
import { enc, identity, NS, sampleStatus } from './wire-fixtures.js'

/** alice and bob, two naras on one manual clock; bob has pinned alice from her hey_there. */
async function aliceAndBob(s: Session) {
  const clock = createManualClock()
  const alice = s.open('alice', { clock })
  const bob = s.open('bob', { clock })
  await startAndJoin(bob)
  const aliceDelay = await startAndJoin(alice)
  const joined = nextEvent(bob, 'hey_there', (e) => e.sender === 'alice')
  clock.advance(aliceDelay)
  await joined // bob has now pinned alice's key (TOFU, from a verified hey_there)
  expect(bob.keyring.lookup('alice')).toBe(alice.identity.publicKeyBase64)
  return { clock, alice, bob }
}

/** Every forgery of a social SyncEvent claiming alice, published raw; each is one drop. */
async function forgeries(
  bob: Subject,
  attacker: MqttClient,
  nowMs: number,
  replayBytes: Buffer,
): Promise<void> {
  const aliceKey = identity('alice')
  const mallory = identity('mallory')
  const now = BigInt(nowMs) * NS
  const social = (reason: string, tsNs: bigint) => ({
    type: 'tease',
    actor: 'alice',
    target: 'bob',
    reason,
    tsNs,
  })
  const send = (topic: string, ev: unknown) =>
    attacker.publishAsync(topic, encodeSyncEvent(ev as SyncEvent))

  // unsigned: no emitter, no sig
  const unsigned = buildSocial(social('comeback', now), aliceKey)
  await send(TOPICS.social, { ...unsigned, emitter: '', sig: '' })
  await dropsCounted(bob, 'unsigned')
  // forged: claims alice, signed with mallory's key
  await send(
    TOPICS.social,
    buildSocial(social('nice-number', now), { name: 'alice', seed: mallory.seed }),
  )
  await dropsCounted(bob, 'bad-signature')
  // re-keyed: a hey_there for alice carrying (and signed with) another key
  const rekeyed = nextEvent(bob, 'key-conflict')
  await send(
    TOPICS.heyThere,
    buildHeyThere(
      { name: 'alice', publicKey: mallory.publicKey, naraId: 'fake-id', tsNs: now },
      { name: 'alice', seed: mallory.seed },
    ),
  )
  await dropsCounted(bob, 'key-conflict')
  const conflict = await rekeyed
  expect(conflict).toMatchObject({ kind: 'hey_there', label: 'name', name: 'alice' })
  expect(conflict.pinnedKey).toBe(aliceKey.b64)
  // replayed: the genuine bytes again
  await attacker.publishAsync(TOPICS.social, replayBytes)
  await dropsCounted(bob, 'duplicate')
  // stale: validly signed by alice, 11 minutes old (and one 11 minutes in the future)
  await send(TOPICS.social, buildSocial(social('online', now - 660_000n * NS), aliceKey))
  await send(TOPICS.social, buildSocial(social('offline', now + 660_000n * NS), aliceKey))
  await dropsCounted(bob, 'stale', 2)
  // unknown sender: carol never said hey_there
  await send(
    TOPICS.social,
    buildSocial({ ...social('random', now), actor: 'carol' }, identity('carol')),
  )
  await dropsCounted(bob, 'unknown-sender')
  // a tampered ID (content changed, old id kept)
  await send(TOPICS.social, {
    ...buildSocial(social('trend-abandon', now), aliceKey),
    ts: now + 1n,
  })
  await dropsCounted(bob, 'bad-id')
}

/** TestMQTT_SignedSyncEvents. */
export const signedSyncEvents: Check = async (s) => {
  const { clock, alice, bob } = await aliceAndBob(s)
  // A genuine signed SyncEvent flows and is verified.
  const teaseReceived = nextEvent(bob, 'social', (e) => e.message.social.reason === 'random')
  const attacker = await s.rawClient()
  const genuineBytes = nextMessage(attacker, TOPICS.social)
  await attacker.subscribeAsync(TOPICS.social)
  expect(
    await alice.publishSocial({ type: 'tease', actor: 'alice', target: 'bob', reason: 'random' }),
  ).toBe(true)
  const tease = (await teaseReceived) as PlazaEvent<'social'>
  expect(tease.sender).toBe('alice')
  expect(tease.authenticated).toBe(true)
  expect(tease.eventId).toBe(tease.message.id)
  expect(Object.isFrozen(tease.message.social)).toBe(true)
  const replayBytes = await genuineBytes
  await attacker.unsubscribeAsync(TOPICS.social)

  await forgeries(bob, attacker, clock.now(), replayBytes)

  // The pipeline keeps going: the next genuine event still arrives.
  const after = nextEvent(bob, 'social', (e) => e.message.social.reason === 'high-restarts')
  await alice.publishSocial({
    type: 'tease',
    actor: 'alice',
    target: 'bob',
    reason: 'high-restarts',
  })
  await after
  const c = bob.counters()
  expect(c.dropped).toMatchObject({
    unsigned: 1,
    'bad-signature': 1,
    'key-conflict': 1,
    duplicate: 1,
    stale: 2,
    'unknown-sender': 1,
    'bad-id': 1,
  })
  expect(c.accepted.social).toBe(2)
  expect(bob.keyring.lookup('alice')).toBe(alice.identity.publicKeyBase64)
}

/** The signature covers exactly the raw Status bytes that travelled; anything else is refused. */
async function newspaperForgeries(
  bob: Subject,
  attacker: MqttClient,
  payload: Buffer,
  statusJson: string,
): Promise<void> {
  const signature = JSON.parse(payload.toString('utf8')).Signature as string
  const topic = newspaperTopic('alice')
  const forge = (from: string, status: string, sig: string) =>
    Buffer.from(encodeNewspaperBytes(from, enc.encode(status), sig))
  // Re-serialized Status (same values, JSON.stringify with sorted keys): rejected.
  const parsed = JSON.parse(statusJson) as Record<string, unknown>
  const resorted = JSON.stringify(
    Object.fromEntries(Object.entries(parsed).sort(([a], [b]) => (a < b ? -1 : 1))),
  )
  expect(resorted).not.toBe(statusJson)
  await attacker.publishAsync(topic, forge('alice', resorted, signature))
  await dropsCounted(bob, 'bad-signature', 1)
  // One byte altered (Buzz 55 -> 56): rejected.
  const altered = statusJson.replace('"Buzz":55', '"Buzz":56')
  expect(altered.length).toBe(statusJson.length)
  await attacker.publishAsync(topic, forge('alice', altered, signature))
  await dropsCounted(bob, 'bad-signature', 2)
  // Unsigned: rejected.
  await attacker.publishAsync(topic, forge('alice', statusJson, ''))
  await dropsCounted(bob, 'unsigned', 1)
  // The envelope's From must equal the topic name (Go ignores it; WIRE §6.4, STRICTER_THAN_GO).
  await attacker.publishAsync(topic, forge('mallory', statusJson, signature))
  await dropsCounted(bob, 'sender-mismatch', 1)
  // The genuine bytes again: a replay.
  await attacker.publishAsync(topic, payload)
  await dropsCounted(bob, 'duplicate', 1)
}

/** TestMQTT_NewspaperSignature. */
export const newspaperSignature: Check = async (s) => {
  const clock = createManualClock()
  const alice = s.open('alice', { clock })
  const bob = s.open('bob', { clock, options: { heyThereOnConnect: false } })
  const bobSubscribed = nextEvent(bob, 'subscribed')
  await bob.start()
  await bobSubscribed
  // A newspaper authenticates no name: bob accepts alice's only once her signed hey_there
  // has pinned her key.
  const aliceJoin = await startAndJoin(alice)
  const alicePinned = nextEvent(bob, 'hey_there', (e) => e.sender === 'alice')
  clock.advance(aliceJoin)
  await alicePinned
  const attacker = await s.rawClient()
  await attacker.subscribeAsync(newspaperTopic('alice'))
  const captured = nextMessage(attacker, newspaperTopic('alice'))
  const received = nextEvent(bob, 'newspaper')
  expect(await alice.publishNewspaper(sampleStatus(55))).toBe(true)
  const ev = (await received) as PlazaEvent<'newspaper'>
  expect(ev.sender).toBe('alice')
  expect(ev.message.name).toBe('alice')
  expect(ev.message.envelope.Status.Buzz).toBe(55)
  const payload = await captured
  await attacker.unsubscribeAsync(newspaperTopic('alice'))
  const text = payload.toString('utf8')
  const statusJson = text.slice(text.indexOf('"Status":') + 9, text.lastIndexOf(',"Signature":'))
  // The signature covers exactly the raw Status bytes that travelled.
  expect(Buffer.from(ev.message.statusBytes).toString('utf8')).toBe(statusJson)
  const signature = JSON.parse(text).Signature as string
  expect(signNewspaperStatus(enc.encode(statusJson), identity('alice').seed)).toBe(signature)

  await newspaperForgeries(bob, attacker, payload, statusJson)

  // Alice's signed status on mallory's topic: alice's key already speaks for alice (one key,
  // one name), so it is a key conflict while mallory is unknown (no topic-only pin either)...
  const onMallorysTopic = Buffer.from(
    encodeNewspaperBytes('mallory', enc.encode(statusJson), signature),
  )
  await attacker.publishAsync(newspaperTopic('mallory'), onMallorysTopic)
  await dropsCounted(bob, 'key-conflict', 1)
  expect(bob.keyring.lookup('mallory')).toBeUndefined()
  expect(bob.keyring.weakByName('mallory')).toBeUndefined()
  // ...and still one once mallory's own hey_there pinned her key.
  const mallory = s.open('mallory', { clock })
  const malloryJoin = await startAndJoin(mallory)
  const malloryPinned = nextEvent(bob, 'hey_there', (e) => e.sender === 'mallory')
  clock.advance(malloryJoin)
  await malloryPinned
  await attacker.publishAsync(newspaperTopic('mallory'), onMallorysTopic)
  await dropsCounted(bob, 'key-conflict', 2)
  expect(bob.counters().accepted.newspaper).toBe(1)
}
