/**
 * Test identities and the raw bytes of signed messages, as an attacker (or a Go nara) would
 * publish them: built with the crypto package, encoded with the protocol package.
 */
import { buildHeyThere, buildSocial, computeNaraId, keypairFromSoul, parseSoul } from '@nara/crypto'
import { signAttestation, signHowdy, signNewspaperStatus } from '@nara/crypto/wire'
import {
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type HowdyEvent,
  type NaraStatus,
  type SyncEvent,
} from '@nara/protocol'
import { naraStatusSchema } from '@nara/protocol/schemas'
import { SOULS } from '../helpers.js'

export const enc = new TextEncoder()
/** Nanoseconds per millisecond, as a bigint (SyncEvent `ts` is in ns). */
export const NS = 1_000_000n

/** A test identity with its secret seed (WIRE.md §10.1 souls). */
export interface TestIdentity {
  name: string
  seed: Uint8Array
  publicKey: Uint8Array
  /** The public key, base64 (as pinned and as in a Status `PublicKey`). */
  b64: string
  id: string
}

export function identity(name: keyof typeof SOULS): TestIdentity {
  const soul = parseSoul(SOULS[name])
  const kp = keypairFromSoul(soul)
  return {
    name,
    seed: kp.seed,
    publicKey: kp.publicKey,
    b64: Buffer.from(kp.publicKey).toString('base64'),
    id: computeNaraId(soul, name),
  }
}

/** A signed social SyncEvent (tease of bob) by `who`. */
export const socialBytes = (
  who: Pick<TestIdentity, 'name' | 'seed'>,
  reason: string,
  tsNs: bigint,
): Uint8Array =>
  enc.encode(
    encodeSyncEvent(
      buildSocial(
        { type: 'tease', actor: who.name, target: 'bob', reason, tsNs },
        who,
      ) as SyncEvent,
    ),
  )

/** A signed hey_there by `who`, carrying `naraId` (unsigned: anyone can claim any ID). */
export const heyThereBytes = (who: TestIdentity, tsNs: bigint, naraId = who.id): Uint8Array =>
  enc.encode(
    encodeSyncEvent(
      buildHeyThere({ name: who.name, publicKey: who.publicKey, naraId, tsNs }, who) as SyncEvent,
    ),
  )

/** A Status of zeros (the schema's defaults), with `PublicKey`, `ID` and `HostStats.Uptime` given. */
export function zeroStatus(pk: string, id: string, uptime = 1): NaraStatus {
  const zero = naraStatusSchema.parse({})
  return { ...zero, HostStats: { ...zero.HostStats, Uptime: uptime }, PublicKey: pk, ID: id }
}

/** `who`'s newspaper (signed Status) with envelope `From` = `topicName`. */
export const newspaperBytes = (topicName: string, who: TestIdentity, uptime = 1): Uint8Array => {
  const status = enc.encode(encodeNaraStatus(zeroStatus(who.b64, who.id, uptime) as never))
  return encodeNewspaperBytes(topicName, status, signNewspaperStatus(status, who.seed))
}

/** A signed howdy from `who` to `to`, Seq `seq`. */
export const howdyBytes = (who: TestIdentity, to: string, seq: number, meId = who.id) =>
  enc.encode(
    encodeHowdy({
      From: who.name,
      To: to,
      Seq: seq,
      You: {},
      Neighbors: null,
      Me: { ...zeroStatus(who.b64, meId), Observations: {} },
      Signature: signHowdy(who.name, to, seq, who.seed),
    } as unknown as HowdyEvent),
  )

/** A lively Status, as a nara publishes it (oracle tests, the bench's newspapers). */
export function sampleStatus(buzz: number): NaraStatus {
  return {
    ...zeroStatus('', ''),
    Flair: '💎',
    HostStats: {
      Uptime: 86400,
      LoadAvg: 0.25,
      MemAllocMB: 12,
      MemSysMB: 30,
      MemHeapMB: 20,
      MemStackMB: 1,
      NumGoroutines: 42,
      NumGC: 7,
      ProcCPUPercent: 1.5,
    },
    Chattiness: 73,
    Buzz: buzz,
    Personality: { Agreeableness: 10, Sociability: 20, Chill: 30 },
    Aura: { primary: '#aabbcc', secondary: '#ddeeff' },
    Version: '0.2.0',
  }
}

/**
 * A checkpoint vote approving `subject`'s round 1 at `timeS` (seconds), by `attester` under
 * `attesterId`, signed with `seed`.
 */
export function signedVote(v: {
  subject: string
  attester: string
  attesterId: string
  timeS: number
  seed: Uint8Array
}) {
  const vote = {
    version: 2,
    subject: v.subject,
    subject_id: identity(v.subject as keyof typeof SOULS).id,
    observation: { restarts: 1, total_uptime: 2, start_time: 3 },
    attester: v.attester,
    attester_id: v.attesterId,
    as_of_time: v.timeS,
    proposal_ts: v.timeS,
    round: 1,
    approved: true,
    signature: '',
  }
  vote.signature = signAttestation(vote, v.seed)
  return vote
}
