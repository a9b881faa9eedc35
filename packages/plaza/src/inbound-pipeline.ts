/**
 * The inbound pipeline: every MQTT message goes through it, cheapest checks first, and leaves
 * either as one frozen {@link PlazaEvent} or as one counted drop. It never throws.
 *
 * 1. topic allow-list, payload size cap;
 * 2. pre-verification limits that no forger can spend against an honest sender: a budget per
 *    topic kind (`overloaded`), and the claimed sender's AUTHENTICATED bucket is only read here
 *    (empty = `rate-limited`): only messages that verified with that sender's key ever take
 *    tokens from it (step 6);
 * 3. lossless decode (`@nara/protocol`);
 * 4. `@nara/crypto`'s verification plan (`planDecoded`: the same code as `verifyDecoded`
 *    decides every verdict) plus the plaza's own rules: freshness and replay memories (SyncEvent
 *    `ts` window, howdy From/To/Seq for the howdy window after To's hey_there, newspaper Status
 *    hash and Uptime, proposal/vote `as_of_time`); a newspaper of a name pinned by a signed
 *    claim must carry that key, one of an unknown name may take a topic-only (weak) pin;
 * 5. signature checks (inline with the fastest backend, or batched in the worker pool);
 * 6. after a valid signature only: per-sender token bucket of the AUTHENTICATED sender, pin the
 *    key (TOFU, provisional until confirmed; a signed-name claim replaces a topic-only pin),
 *    bind the NaraID the key claims, remember the ID;
 * 7. own messages are counted as `own`; the rest is delivered.
 *
 * Nothing is remembered (dedupe, pins, howdy Seq, buckets) before the signature verified, so a
 * forged copy can never shadow or throttle the genuine message.
 */

import {
  attestationMessage,
  type CheckpointFinalVerdict,
  checkpointVoterAttestation,
  type Ed25519Backend,
  planDecoded,
  type Sha256Backend,
  sha256Of,
  type Verdict,
  type VerificationPlan,
} from '@nara/crypto'
import { classifyTopic, type DecodedMessage, decodeMessage, type TopicKind } from '@nara/protocol'
import type { Clock } from './clock.js'
import type { Counters, DropReason } from './counters.js'
import type { DecodeCache } from './decode-cache.js'
import { ExpiringSet } from './expiring-set.js'
import type { Keyring, PinResult, WeakPin } from './keyring.js'
import type { Logger } from './logger.js'
import { LruMap } from './lru.js'
import {
  type DropEvent,
  deepFreeze,
  type KeyConflictEvent,
  type NameProof,
  type PlazaEvent,
  type PlazaMessageKind,
} from './plaza-event.js'
import { claimedSender } from './sender-scan.js'
import {
  KeyedRateLimiter,
  type KeyedRateLimiterOptions,
  type TokenBucketOptions,
} from './token-bucket.js'
import type { VerifyJob, VerifyPool } from './verify-pool.js'

/** Options of {@link createInboundPipeline}. */
export interface InboundPipelineOptions {
  /** Our nara name (own messages are ignored). */
  me: string
  keyring: Keyring
  clock: Clock
  counters: Counters
  logger: Logger
  /** Largest accepted payload, in bytes. */
  maxPayloadBytes: number
  /**
   * Per-sender token bucket, charged to the AUTHENTICATED sender after verification (and read,
   * not charged, before it), or false to disable every rate limit.
   */
  rateLimit: KeyedRateLimiterOptions | false
  /**
   * Budget per topic kind before verification (shared by all senders, so it cannot be aimed at
   * one). Default: capacity 2000, 1000 per second. Off when `rateLimit` is false.
   */
  preVerifyLimit?: TokenBucketOptions
  /** Decode memo shared with other pipelines of the process (see `createDecodeCache`). */
  decodeCache?: DecodeCache | undefined
  /**
   * Accepted distance of a SyncEvent `ts`, and of a proposal/vote `as_of_time`, from the clock,
   * in ms (both directions). Replay memories of events last twice this long.
   */
  freshnessWindowMs: number
  /** Most unexpired entries per replay memory; beyond it messages drop as `overloaded`. */
  dedupeSize: number
  /**
   * Howdy window, ms (Go's coordinator window is 30 s): a howdy From/To/Seq is remembered this
   * long, and a howdy to X is fresh only this long after X's verified hey_there. Default 30 000.
   */
  howdyWindowMs?: number
  /** Require a recent hey_there from a howdy's `To` (see `howdyWindowMs`). Default true. */
  howdyNeedsHeyThere?: boolean
  /** Newspaper replay memory (hash of the Status bytes), ms. Default 600 000. */
  newspaperWindowMs?: number
  /** Kinds that carry no signature on the wire and are delivered unauthenticated. */
  acceptUnsigned: ReadonlySet<PlazaMessageKind>
  /** Backend for inline verification. */
  backend: Ed25519Backend
  /** When set, signatures are verified in this pool instead of inline. */
  pool?: VerifyPool | undefined
  /** Most signature checks waiting for the pool; beyond it messages drop as `overloaded`. */
  maxPendingVerifications: number
  deliver(event: PlazaEvent): void
  onDrop?(drop: DropEvent): void
  onKeyConflict?(conflict: KeyConflictEvent): void
}

export interface InboundPipeline {
  /** Feeds one MQTT message. Never throws. */
  handle(topic: string, payload: Uint8Array): void
}

/** What the pre-verify stage decided for a message that passed it. */
interface Plan {
  jobs: readonly VerifyJob[]
  /** Called with the verify results and the clock time; drops or delivers. */
  finish(results: readonly boolean[], nowMs: number): void
}

const NS_PER_MS = 1_000_000n

/** The payload key of the flat SyncEvent kinds (every envelope field a primitive but this one). */
const FLAT_PAYLOAD: Partial<Record<PlazaMessageKind, string>> = {
  social: 'social',
  hey_there: 'hey_there',
  chau: 'chau',
}

/**
 * Deep-freezes a delivered event. A flat SyncEvent (social, hey_there, chau: the decoder gives
 * primitives everywhere but the payload object) is frozen without walking its envelope.
 */
function freezeEvent(event: PlazaEvent): PlazaEvent {
  const key = FLAT_PAYLOAD[event.kind]
  const message = event.message as unknown as Record<string, unknown>
  if (key === undefined || Object.isFrozen(message)) return deepFreeze(event)
  deepFreeze(message[key])
  Object.freeze(message)
  return Object.freeze(event)
}

/** Kinds whose claimed sender is authenticated by its own key (its bucket is read early). */
const SENDER_SIGNED = new Set<TopicKind>(['hey_there', 'chau', 'social', 'howdy', 'newspaper'])
/** Bucket-key prefix for unauthenticated kinds: a claimed name must never drain the real one's. */
const UNAUTHENTICATED = '\u0000unauthenticated:'

/** `keyring` as crypto reads it, plus the topic-only pin of ONE name (a signed claim by it). */
function withWeakPin(keyring: Keyring, name: string, key: Uint8Array) {
  return {
    byName: (n: string) => (n === name ? key : keyring.byName(n)),
    byId: (id: string) => keyring.byId(id),
    nameForId: (id: string) => keyring.nameForId(id),
    idForName: (n: string) => keyring.idForName(n),
  }
}

export function createInboundPipeline(o: InboundPipelineOptions): InboundPipeline {
  const limiter = o.rateLimit === false ? undefined : new KeyedRateLimiter(o.rateLimit)
  const preLimiter =
    o.rateLimit === false
      ? undefined
      : new KeyedRateLimiter({ capacity: 2000, refillPerSecond: 1000, ...o.preVerifyLimit })
  const howdyWindowMs = o.howdyWindowMs ?? 30_000
  // Events are fresh within ±window of the clock: a replay is possible until 2 × window later.
  const seenIds = new ExpiringSet(o.dedupeSize, 2 * o.freshnessWindowMs)
  const seenHowdys = new ExpiringSet(o.dedupeSize, howdyWindowMs)
  const recentHeyThere = new ExpiringSet(o.dedupeSize, howdyWindowMs)
  const seenPapers = new ExpiringSet(o.dedupeSize, o.newspaperWindowMs ?? 600_000)
  /** Last newspaper `HostStats.Uptime` per name (reset by a hey_there: a restart). */
  const lastUptime = new LruMap<string, number>(o.dedupeSize)
  let pendingVerifications = 0
  // The backend's SHA-256 (native `node:crypto` for the node/sodium backends): the event ID
  // and the signing digest are two hashes per SyncEvent on the hot path.
  const hash: Sha256Backend = sha256Of(o.backend)

  const drop = (
    reason: DropReason | 'sender-mismatch',
    topic: string,
    kind?: string,
    claimed?: string,
    detail?: string,
  ): void => {
    o.counters.dropped(reason)
    if (o.onDrop !== undefined) {
      o.onDrop(Object.freeze({ reason, topic, kind, claimedSender: claimed, detail }))
    }
  }

  const keyConflict = (
    kind: string,
    topic: string,
    label: 'name' | 'naraId' | 'publicKey',
    name: string | undefined,
    naraId: string | undefined,
    pinnedKey: string,
    offeredKey: string,
    dropped = true,
    detail = `${label} is pinned to another key`,
  ): void => {
    if (dropped) {
      drop('key-conflict', topic, kind, name, detail)
    } else {
      o.counters.idConflict()
    }
    o.logger.warn({ kind, topic, name, naraId, label, dropped }, 'key conflict')
    o.onKeyConflict?.(Object.freeze({ kind, topic, label, name, naraId, pinnedKey, offeredKey }))
  }

  /** A signed-name claim by `name` with `offeredKey` replaced a topic-only pin it disagrees with. */
  const superseded = (
    kind: string,
    topic: string,
    name: string,
    weak: WeakPin,
    offeredKey: string,
  ): void => {
    o.counters.weakPinSuperseded()
    const label = weak.name === name ? 'name' : 'publicKey'
    o.logger.info({ kind, topic, name, label, weakName: weak.name }, 'topic-only pin superseded')
    o.onKeyConflict?.(
      Object.freeze({
        kind,
        topic,
        label,
        name,
        naraId: undefined,
        pinnedKey: weak.publicKey,
        offeredKey,
        weakPin: Object.freeze({ ...weak }),
      }),
    )
  }

  const b64 = (key: Uint8Array | undefined): string =>
    key === undefined ? '' : Buffer.from(key).toString('base64')

  const isFresh = (tsNs: bigint, nowMs: number): boolean => {
    const tsMs = Number(tsNs / NS_PER_MS)
    return Math.abs(tsMs - nowMs) <= o.freshnessWindowMs
  }

  /** Remembers a replay key after verification; drops and returns false when it cannot. */
  const remember = (
    memory: ExpiringSet,
    key: string,
    topic: string,
    kind: string,
    claimed: string,
    nowMs: number,
    repeated: DropReason = 'duplicate',
  ): boolean => {
    const added = memory.add(key, nowMs)
    if (added === 'added') return true
    if (added === 'present') drop(repeated, topic, kind, claimed)
    else drop('overloaded', topic, kind, claimed, 'replay memory full of unexpired entries')
    return false
  }

  const accept = (
    kind: PlazaMessageKind,
    topic: string,
    sender: string,
    message: unknown,
    extra: {
      senderId?: string | undefined
      authenticated?: boolean
      nameProof?: NameProof
      eventId?: string
      voters?: string[]
    },
    nowMs: number,
  ): void => {
    if (sender === o.me) {
      o.counters.own()
      return
    }
    const authenticated = extra.authenticated ?? true
    if (limiter !== undefined) {
      const bucket = authenticated ? sender : `${UNAUTHENTICATED}${sender}`
      if (!limiter.take(bucket, nowMs)) {
        drop('rate-limited', topic, kind, sender)
        return
      }
    }
    o.counters.accepted(kind)
    const event = freezeEvent({
      kind,
      topic,
      sender,
      senderId: extra.senderId === '' ? undefined : extra.senderId,
      authenticated,
      nameProof: extra.nameProof ?? (authenticated ? 'signature' : 'none'),
      eventId: extra.eventId,
      voters: extra.voters,
      receivedAtMs: nowMs,
      message,
    } as PlazaEvent)
    o.deliver(event)
  }

  /** Drops a message for crypto's reject verdict (mapped onto the plaza's drop reasons). */
  const rejected = (
    v: Verdict,
    topic: string,
    kind: string,
    claimed: string,
    offeredKey: string | undefined,
  ): void => {
    switch (v.reason) {
      case 'key-conflict': {
        const pinned = o.keyring.lookup(claimed) ?? ''
        keyConflict(kind, topic, 'name', claimed, undefined, pinned, offeredKey ?? '')
        return
      }
      case 'self-certified':
        drop('unknown-sender', topic, kind, claimed, 'name not pinned by a signed message')
        return
      case 'malformed':
        drop('bad-schema', topic, kind, claimed, v.detail)
        return
      case 'unsupported':
      case undefined:
        drop('internal-error', topic, kind, claimed, v.detail)
        return
      default:
        drop(v.reason, topic, kind, claimed, v.detail)
    }
  }

  /** The plaza plan of a crypto plan: run its checks, then `onAccept` with the verdict. */
  const verified = <V extends Verdict>(
    vp: VerificationPlan<V>,
    topic: string,
    kind: string,
    claimed: string,
    offeredKey: string | undefined,
    onAccept: (verdict: V, nowMs: number) => void,
  ): Plan => ({
    jobs: vp.checks,
    finish(results, nowMs) {
      const verdict = vp.finish(results)
      if (verdict.verdict !== 'accept') return rejected(verdict, topic, kind, claimed, offeredKey)
      onAccept(verdict, nowMs)
    },
  })

  /** Before verifying a first use: could its name be pinned at all? */
  const pinnable = (kind: string, topic: string, name: string, vp: VerificationPlan): boolean => {
    if (!vp.firstUse || vp.publicKey === undefined) return true
    return pinOutcome(o.keyring.check({ name, publicKey: vp.publicKey }), kind, topic, name, vp)
  }

  const pinOutcome = (
    r: PinResult,
    kind: string,
    topic: string,
    name: string,
    vp: VerificationPlan,
  ): boolean => {
    switch (r.status) {
      case 'pinned':
      case 'known':
        return true
      case 'conflict':
        keyConflict(kind, topic, r.label, name, undefined, r.pinnedKey, b64(vp.publicKey))
        return false
      case 'full':
        drop('keyring-full', topic, kind, name)
        return false
      case 'refused':
        drop('bad-schema', topic, kind, name, r.reason)
        return false
    }
  }

  /**
   * After a valid signature by `name`'s key: pin it on first use (provisional), or confirm
   * it (promotion to durable); then bind the NaraID the key claims. Returns the trusted
   * senderId, or null when the message was dropped.
   */
  const settle = (
    kind: string,
    topic: string,
    name: string,
    vp: VerificationPlan,
    claimedId: string | undefined,
    now: number,
  ): string | undefined | null => {
    const key = vp.publicKey
    if (key === undefined) return undefined
    if (vp.firstUse) {
      const r = o.keyring.pin({ name, publicKey: key }, { provisional: true, nowMs: now })
      if (!pinOutcome(r, kind, topic, name, vp)) return null
      if (r.status === 'pinned' && r.superseded !== undefined) {
        for (const weak of r.superseded) superseded(kind, topic, name, weak, b64(key))
      }
    } else {
      o.keyring.confirm(name, now)
    }
    if (claimedId === undefined || claimedId === '') return undefined
    const claim = o.keyring.claimId(key, claimedId)
    switch (claim.status) {
      case 'bound':
      case 'known':
        return claimedId
      case 'disputed':
        // Delivered all the same (the signed part verified): the unsigned ID is not trusted.
        if (claim.fresh) {
          keyConflict(
            kind,
            topic,
            'naraId',
            name,
            claimedId,
            claim.pinnedKey ?? '',
            b64(key),
            false,
          )
        } else {
          o.counters.idConflict()
        }
        return undefined
      case 'mismatch':
        drop('id-mismatch', topic, kind, name, 'the key already has another NaraID')
        return null
      default:
        return undefined
    }
  }

  /**
   * A topic-only claim (a newspaper of a name no signed claim pinned): can `name` take a weak pin
   * to the key that signed the Status? (`pin`: take it, after a valid signature.) Conflicts with
   * pins of either tier drop the newspaper as `key-conflict`: the first claim wins.
   */
  const topicPin = (topic: string, name: string, vp: VerificationPlan, pin: boolean): boolean => {
    const key = vp.publicKey as Uint8Array
    const request = { name, publicKey: key }
    const r = pin ? o.keyring.pinTopic(request) : o.keyring.checkTopic(request)
    if (r.status === 'conflict') {
      const detail =
        r.label === 'name'
          ? 'topic-only claim: the name is pinned to another key'
          : 'topic-only claim: the key already speaks for another name'
      keyConflict('newspaper', topic, r.label, name, undefined, r.pinnedKey, b64(key), true, detail)
      return false
    }
    return pinOutcome(r, 'newspaper', topic, name, vp)
  }

  /** Builds the verification plan of a decoded message, or drops it and returns undefined. */
  const plan = (topic: string, decoded: DecodedMessage, now: number): Plan | undefined => {
    switch (decoded.kind) {
      case 'hey_there':
      case 'chau': {
        const ev = decoded.message
        const kind = decoded.kind
        const body = kind === 'hey_there' ? decoded.message.hey_there : decoded.message.chau
        const from = body.From
        const vp = planDecoded(decoded, o.keyring, { backend: o.backend })
        if (vp.checks.length === 0)
          return void rejected(vp.finish([]), topic, kind, from, body.PublicKey)
        const id = vp.eventId as string
        if (!isFresh(ev.ts, now)) return void drop('stale', topic, kind, from)
        if (seenIds.has(id, now)) return void drop('duplicate', topic, kind, from)
        if (!pinnable(kind, topic, from, vp)) return undefined
        return verified(vp, topic, kind, from, body.PublicKey, (_v, at) => {
          const senderId = settle(kind, topic, from, vp, body.ID, at)
          if (senderId === null) return
          if (!remember(seenIds, id, topic, kind, from, at)) return
          if (kind === 'hey_there') {
            // A new howdy round for `from`, and a restart may reset its newspaper Uptime.
            recentHeyThere.refresh(from, at)
            lastUptime.delete(from)
          }
          accept(kind, topic, from, ev, { senderId, eventId: id }, at)
        })
      }
      case 'social': {
        const ev = decoded.message
        const emitter = ev.emitter ?? ''
        // The signature covers `emitter`, so the key of a name known only from a newspaper topic
        // (a weak pin) may speak here, and a valid signature upgrades that pin.
        const pinned = o.keyring.byName(emitter)
        const weak = pinned === undefined ? o.keyring.weakByName(emitter) : undefined
        const view = weak === undefined ? o.keyring : withWeakPin(o.keyring, emitter, weak)
        const vp = planDecoded(decoded, view, { backend: o.backend })
        if (vp.checks.length === 0)
          return void rejected(vp.finish([]), topic, 'social', emitter, undefined)
        if (pinned === undefined && weak === undefined) {
          // crypto found a key through `emitter_id` alone: that key speaks for another name.
          return void drop('unknown-sender', topic, 'social', emitter, 'emitter name not pinned')
        }
        const id = vp.eventId as string
        if (!isFresh(ev.ts, now)) return void drop('stale', topic, 'social', emitter)
        if (seenIds.has(id, now)) return void drop('duplicate', topic, 'social', emitter)
        return verified(vp, topic, 'social', emitter, undefined, (_v, at) => {
          if (weak !== undefined) {
            const upgrade = { ...vp, firstUse: true }
            if (settle('social', topic, emitter, upgrade, undefined, at) === null) return
          } else {
            o.keyring.confirm(emitter, at)
          }
          if (!remember(seenIds, id, topic, 'social', emitter, at)) return
          accept('social', topic, emitter, ev, { eventId: id }, at)
        })
      }
      case 'howdy': {
        const h = decoded.message
        const from = h.From
        if (h.Signature === '') return void drop('unsigned', topic, 'howdy', from)
        if (o.howdyNeedsHeyThere !== false && !recentHeyThere.has(h.To, now)) {
          return void drop('stale', topic, 'howdy', from, 'no recent hey_there from To')
        }
        const replayKey = `${from}\u0000${h.To}\u0000${String(h.Seq)}`
        if (seenHowdys.has(replayKey, now)) {
          return void drop('stale', topic, 'howdy', from, 'repeated Seq')
        }
        const vp = planDecoded(decoded, o.keyring, { backend: o.backend })
        if (vp.checks.length === 0)
          return void rejected(vp.finish([]), topic, 'howdy', from, h.Me.PublicKey)
        if (!pinnable('howdy', topic, from, vp)) return undefined
        return verified(vp, topic, 'howdy', from, h.Me.PublicKey, (_v, at) => {
          const senderId = settle('howdy', topic, from, vp, h.Me.ID, at)
          if (senderId === null) return
          if (!remember(seenHowdys, replayKey, topic, 'howdy', from, at, 'stale')) return
          accept('howdy', topic, from, h, { senderId }, at)
        })
      }
      case 'newspaper': {
        const n = decoded.message
        const name = n.name
        const status = n.envelope.Status
        // The signature covers the Status bytes and no name. A name pinned by a signed claim
        // (hey_there/chau/howdy/social) may speak here only with that key. An unknown name
        // (`firstUse`) may take a topic-only (weak) pin, when its key speaks for no other name.
        const vp = planDecoded(decoded, o.keyring, { backend: o.backend })
        if (vp.checks.length === 0)
          return void rejected(vp.finish([]), topic, 'newspaper', name, status.PublicKey)
        const topicOnly = vp.firstUse === true
        if (topicOnly && !topicPin(topic, name, vp, false)) return undefined
        const paperKey = `${name}\u0000${hash.hex(n.statusBytes)}`
        if (seenPapers.has(paperKey, now)) return void drop('duplicate', topic, 'newspaper', name)
        const uptime = Number(status.HostStats?.Uptime ?? 0)
        const last = lastUptime.peek(name)
        if (last !== undefined && uptime < last) {
          return void drop('stale', topic, 'newspaper', name, 'Uptime went backwards')
        }
        return verified(vp, topic, 'newspaper', name, status.PublicKey, (_v, at) => {
          let senderId: string | undefined
          let nameProof: NameProof = 'signature'
          if (topicOnly) {
            // Status.ID stays untrusted: a weak pin never binds a NaraID.
            if (!topicPin(topic, name, vp, true)) return
            if (o.keyring.byName(name) === undefined) nameProof = 'topic'
          } else {
            const settled = settle('newspaper', topic, name, vp, status.ID, at)
            if (settled === null) return
            senderId = settled
          }
          if (!remember(seenPapers, paperKey, topic, 'newspaper', name, at)) return
          lastUptime.set(name, Math.max(uptime, lastUptime.peek(name) ?? 0))
          accept('newspaper', topic, name, n, { senderId, nameProof }, at)
        })
      }
      case 'checkpoint_propose':
      case 'checkpoint_vote': {
        const kind = decoded.kind
        const a = decoded.message
        const idLabel = kind === 'checkpoint_propose' ? a.subject_id : a.attester_id
        const vp = planDecoded(decoded, o.keyring, { backend: o.backend })
        if (vp.checks.length === 0)
          return void rejected(vp.finish([]), topic, kind, a.attester, undefined)
        if (Math.abs(Number(a.as_of_time) * 1000 - now) > o.freshnessWindowMs) {
          return void drop('stale', topic, kind, a.attester, 'as_of_time outside the window')
        }
        // Deduplicated on the SIGNED text: copies that differ only in unsigned fields (round,
        // approved, names) or in the signature's text encoding are the same attestation.
        const dedupeKey = `${kind}:${attestationMessage(a)}`
        if (seenIds.has(dedupeKey, now)) return void drop('duplicate', topic, kind, a.attester)
        return verified(vp, topic, kind, a.attester, undefined, (_v, at) => {
          if (!remember(seenIds, dedupeKey, topic, kind, a.attester, at)) return
          // crypto checked that a pinned attester name is the signed ID's key.
          const nameProof = o.keyring.byName(a.attester) !== undefined ? 'signature' : 'none'
          accept(kind, topic, a.attester, a, { senderId: idLabel, nameProof }, at)
        })
      }
      case 'checkpoint_final': {
        const ev = decoded.message
        const cp = ev.checkpoint
        const vp = planDecoded(decoded, o.keyring, {
          backend: o.backend,
        }) as VerificationPlan<CheckpointFinalVerdict>
        if (vp.checks.length === 0) {
          return void rejected(vp.finish([]), topic, 'checkpoint_final', cp.subject, undefined)
        }
        const id = vp.eventId as string
        if (!isFresh(ev.ts, now)) return void drop('stale', topic, 'checkpoint_final', cp.subject)
        // The voters' signatures cover the checkpoint values, not `ts`/`id`: a copy with a new
        // ts is the same checkpoint.
        const contentKey = `checkpoint_final:${attestationMessage(checkpointVoterAttestation(cp, ''))}`
        if (seenIds.has(id, now) || seenIds.has(contentKey, now)) {
          return void drop('duplicate', topic, 'checkpoint_final', cp.subject)
        }
        return verified(vp, topic, 'checkpoint_final', cp.subject, undefined, (verdict, at) => {
          if (!remember(seenIds, contentKey, topic, 'checkpoint_final', cp.subject, at)) return
          accept(
            'checkpoint_final',
            topic,
            cp.subject,
            ev,
            {
              senderId: cp.subject_id,
              nameProof: 'none',
              eventId: id,
              voters: [...verdict.voterIds],
            },
            at,
          )
        })
      }
      case 'ledger_request':
      case 'ledger_response':
      case 'journey_complete': {
        const kind = decoded.kind
        const sender =
          kind === 'journey_complete' ? decoded.message.reported_by : decoded.message.From
        if (!o.acceptUnsigned.has(kind)) return void drop('unsigned', topic, kind, sender)
        accept(kind, topic, sender, decoded.message, { authenticated: false }, now)
        return undefined
      }
      default:
        return void drop('wrong-topic', topic, decoded.kind)
    }
  }

  const verifyInline = (j: VerifyJob): boolean => {
    try {
      return o.backend.verify(j.signature, j.message, j.publicKey)
    } catch {
      return false
    }
  }

  const run = (p: Plan, topic: string, kind: string, now: number): void => {
    if (o.pool === undefined) {
      const started = performance.now()
      const jobs = p.jobs
      const results = new Array<boolean>(jobs.length)
      for (let i = 0; i < jobs.length; i++) results[i] = verifyInline(jobs[i] as VerifyJob)
      o.counters.verified(jobs.length, performance.now() - started)
      p.finish(results, now)
      return
    }
    if (pendingVerifications + p.jobs.length > o.maxPendingVerifications) {
      drop('overloaded', topic, kind)
      return
    }
    pendingVerifications += p.jobs.length
    const started = performance.now()
    o.pool.submit(p.jobs, (results, lost) => {
      pendingVerifications -= p.jobs.length
      o.counters.verified(p.jobs.length, performance.now() - started)
      if (lost === true) {
        // Never a verdict on the message, and never delivered unverified.
        drop('internal-error', topic, kind, undefined, 'signature check lost with a verify worker')
        return
      }
      try {
        p.finish(results, o.clock.now())
      } catch (error) {
        o.logger.error({ topic, kind, err: String(error) }, 'inbound pipeline failed after verify')
      }
    })
  }

  return {
    handle(topic, payload) {
      try {
        const kind: TopicKind | null = classifyTopic(topic)
        if (kind === null) return drop('wrong-topic', topic)
        if (kind === 'stash_refresh') return drop('dead-topic', topic, kind)
        o.counters.received(kind)
        if (payload.byteLength > o.maxPayloadBytes) {
          return drop('too-large', topic, kind, undefined, `${payload.byteLength} bytes`)
        }
        const buf = Buffer.isBuffer(payload)
          ? payload
          : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
        // One clock read per message (a worker-verified one reads it again when it finishes).
        const now = o.clock.now()
        if (limiter !== undefined && preLimiter !== undefined) {
          if (!preLimiter.take(kind, now)) {
            return drop('overloaded', topic, kind, undefined, 'pre-verification budget spent')
          }
          // Read, never charged here: only a verified message from that name takes its tokens.
          const claimed = claimedSender(kind, topic, buf)
          if (SENDER_SIGNED.has(kind) && claimed !== '' && !limiter.peek(claimed, now)) {
            return drop('rate-limited', topic, kind, claimed)
          }
        }
        const decoded =
          o.decodeCache !== undefined
            ? o.decodeCache.decode(topic, buf, o.maxPayloadBytes)
            : decodeMessage(topic, buf, { maxBytes: o.maxPayloadBytes })
        if (!decoded.ok) return drop(decoded.reason, topic, kind, undefined, decoded.detail)
        const p = plan(topic, decoded, now)
        if (p !== undefined) run(p, topic, kind, now)
      } catch (error) {
        // One bad message never stops the pipeline.
        o.counters.dropped('internal-error')
        o.logger.error({ topic, err: String(error) }, 'inbound pipeline error')
      }
    },
  }
}
