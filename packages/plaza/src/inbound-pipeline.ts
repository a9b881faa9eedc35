/**
 * The inbound pipeline: every MQTT message goes through it, cheapest checks first, and leaves
 * either as one frozen {@link PlazaEvent} or as one counted drop. It never throws.
 *
 * 1. topic allow-list, payload size cap;
 * 2. per-sender token bucket keyed by the CLAIMED sender (scanned from the raw bytes);
 * 3. lossless decode (`@nara/protocol`);
 * 4. trust-independent checks on the decoded message: recomputed event ID (`bad-id`),
 *    freshness (`stale`: SyncEvent `ts` window, repeated howdy From/To/Seq), already-seen ID
 *    (`duplicate`), key lookup and pin check (`unknown-sender`, `key-conflict`);
 * 5. signature verification (inline with the fastest backend, or in the worker pool);
 * 6. after a valid signature only: pin the key (TOFU), remember the ID / howdy Seq;
 * 7. own messages are counted as `own`; the rest is delivered.
 *
 * Nothing is remembered (dedupe, pins, howdy Seq) before the signature verified, so a forged
 * copy can never shadow the genuine message.
 */

import {
  attestationMessage,
  checkpointVoterAttestation,
  computeEventId,
  type Ed25519Backend,
  howdyMessage,
  isSyncEventSigned,
  type Sha256Backend,
  sha256Of,
  syncEventHashes,
} from '@nara/crypto'
import { classifyTopic, type DecodedMessage, decodeMessage, type TopicKind } from '@nara/protocol'
import type { Clock } from './clock.js'
import type { Counters, DropReason } from './counters.js'
import { decodePublicKey, type Keyring, type PinRequest } from './keyring.js'
import type { Logger } from './logger.js'
import { LruSet } from './lru.js'
import {
  type DropEvent,
  deepFreeze,
  type KeyConflictEvent,
  type PlazaEvent,
  type PlazaMessageKind,
} from './plaza-event.js'
import { claimedSender } from './sender-scan.js'
import { KeyedRateLimiter, type KeyedRateLimiterOptions } from './token-bucket.js'
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
  /** Per-sender token bucket, or false to disable. */
  rateLimit: KeyedRateLimiterOptions | false
  /** Accepted distance of a SyncEvent `ts` from the clock, in ms (both directions). */
  freshnessWindowMs: number
  /** Remembered event IDs / howdy Seqs / checkpoint signatures. */
  dedupeSize: number
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
  jobs: VerifyJob[]
  /** Called with the verify results; returns a drop reason or delivers. */
  finish(results: readonly boolean[]): void
}

const NS_PER_MS = 1_000_000n

const utf8 = new TextEncoder()

function b64sig(text: string | undefined): Uint8Array | undefined {
  if (text === undefined || text.length !== 88) return undefined
  const bytes = Buffer.from(text, 'base64')
  return bytes.length === 64 ? bytes : undefined
}

export function createInboundPipeline(o: InboundPipelineOptions): InboundPipeline {
  const limiter = o.rateLimit === false ? undefined : new KeyedRateLimiter(o.rateLimit)
  const seenIds = new LruSet<string>(o.dedupeSize)
  const seenHowdys = new LruSet<string>(o.dedupeSize)
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
    req: PinRequest,
    label: 'name' | 'naraId',
    pinnedKey: string,
  ): void => {
    drop('key-conflict', topic, kind, req.name, `${label} is pinned to another key`)
    o.logger.warn({ kind, topic, name: req.name, naraId: req.naraId, label }, 'key conflict')
    o.onKeyConflict?.(
      Object.freeze({
        kind,
        topic,
        label,
        name: req.name,
        naraId: req.naraId,
        pinnedKey,
        offeredKey:
          typeof req.publicKey === 'string'
            ? req.publicKey
            : Buffer.from(req.publicKey).toString('base64'),
      }),
    )
  }

  const isFresh = (tsNs: bigint): boolean => {
    const tsMs = Number(tsNs / NS_PER_MS)
    return Math.abs(tsMs - o.clock.now()) <= o.freshnessWindowMs
  }

  const accept = (
    kind: PlazaMessageKind,
    topic: string,
    sender: string,
    message: unknown,
    extra: { senderId?: string; authenticated?: boolean; eventId?: string; voters?: string[] },
  ): void => {
    if (sender === o.me) {
      o.counters.own()
      return
    }
    o.counters.accepted(kind)
    const event = deepFreeze({
      kind,
      topic,
      sender,
      senderId: extra.senderId === '' ? undefined : extra.senderId,
      authenticated: extra.authenticated ?? true,
      eventId: extra.eventId,
      voters: extra.voters,
      receivedAtMs: o.clock.now(),
      message,
    }) as PlazaEvent
    o.deliver(event)
  }

  /**
   * A message verified by a key that should be pinned (TOFU): check before verifying, pin
   * after. `pin` is re-checked after verification (another message may have pinned meanwhile).
   */
  const pinnedPlan = (
    kind: PlazaMessageKind,
    topic: string,
    pin: PinRequest | undefined,
    job: VerifyJob,
    onValid: () => void,
  ): Plan | undefined => {
    if (pin !== undefined) {
      const check = o.keyring.check(pin)
      if (check.status === 'conflict') {
        keyConflict(kind, topic, pin, check.label, check.pinnedKey)
        return undefined
      }
      if (check.status === 'full') {
        drop('keyring-full', topic, kind, pin.name)
        return undefined
      }
    }
    return {
      jobs: [job],
      finish(results) {
        if (results[0] !== true) {
          drop('bad-signature', topic, kind, pin?.name)
          return
        }
        if (pin !== undefined) {
          const pinned = o.keyring.pin(pin)
          if (pinned.status === 'conflict') {
            keyConflict(kind, topic, pin, pinned.label, pinned.pinnedKey)
            return
          }
          if (pinned.status === 'full') {
            drop('keyring-full', topic, kind, pin.name)
            return
          }
        }
        onValid()
      },
    }
  }

  /** Builds the verification plan of a decoded message, or drops it and returns undefined. */
  const plan = (topic: string, decoded: DecodedMessage): Plan | undefined => {
    switch (decoded.kind) {
      case 'hey_there':
      case 'chau': {
        const ev = decoded.message
        const kind = decoded.kind
        const body = kind === 'hey_there' ? decoded.message.hey_there : decoded.message.chau
        const from = body.From
        if (!isSyncEventSigned(ev)) return void drop('unsigned', topic, kind, from)
        if (ev.emitter !== from) {
          return void drop('sender-mismatch', topic, kind, from, 'emitter differs from From')
        }
        const { id, digest } = syncEventHashes(ev, hash)
        if (ev.id !== id) return void drop('bad-id', topic, kind, from)
        if (!isFresh(ev.ts)) return void drop('stale', topic, kind, from)
        if (seenIds.has(id)) return void drop('duplicate', topic, kind, from)
        const sig = b64sig(ev.sig)
        if (sig === undefined) return void drop('bad-signature', topic, kind, from, 'malformed sig')
        let key: Uint8Array | undefined
        let pin: PinRequest | undefined
        if (body.PublicKey !== '') {
          key = decodePublicKey(body.PublicKey)
          if (key === undefined) return void drop('bad-schema', topic, kind, from, 'bad PublicKey')
          pin = { name: from, naraId: body.ID, publicKey: body.PublicKey }
        } else {
          key = o.keyring.byName(from)
          if (key === undefined) return void drop('unknown-sender', topic, kind, from)
        }
        return pinnedPlan(
          kind,
          topic,
          pin,
          { message: digest, signature: sig, publicKey: key },
          () => {
            if (!seenIds.add(id)) return void drop('duplicate', topic, kind, from)
            accept(kind, topic, from, ev, { senderId: body.ID, eventId: id })
          },
        )
      }
      case 'social': {
        const ev = decoded.message
        const emitter = ev.emitter ?? ''
        if (!isSyncEventSigned(ev)) return void drop('unsigned', topic, 'social', emitter)
        const { id, digest } = syncEventHashes(ev, hash)
        if (ev.id !== id) return void drop('bad-id', topic, 'social', emitter)
        if (!isFresh(ev.ts)) return void drop('stale', topic, 'social', emitter)
        if (seenIds.has(id)) return void drop('duplicate', topic, 'social', emitter)
        const sig = b64sig(ev.sig)
        if (sig === undefined) return void drop('bad-signature', topic, 'social', emitter)
        const key = o.keyring.byName(emitter)
        if (key === undefined) return void drop('unknown-sender', topic, 'social', emitter)
        return pinnedPlan(
          'social',
          topic,
          undefined,
          { message: digest, signature: sig, publicKey: key },
          () => {
            if (!seenIds.add(id)) return void drop('duplicate', topic, 'social', emitter)
            accept('social', topic, emitter, ev, { eventId: id })
          },
        )
      }
      case 'howdy': {
        const h = decoded.message
        const from = h.From
        if (h.Signature === '') return void drop('unsigned', topic, 'howdy', from)
        const replayKey = `${from}\u0000${h.To}\u0000${String(h.Seq)}`
        if (seenHowdys.has(replayKey))
          return void drop('stale', topic, 'howdy', from, 'repeated Seq')
        const sig = b64sig(h.Signature)
        if (sig === undefined) return void drop('bad-signature', topic, 'howdy', from)
        const embedded = h.Me.PublicKey
        let key: Uint8Array | undefined
        let pin: PinRequest | undefined
        if (embedded !== '') {
          key = decodePublicKey(embedded)
          if (key === undefined)
            return void drop('bad-schema', topic, 'howdy', from, 'bad Me.PublicKey')
          pin = { name: from, naraId: h.Me.ID, publicKey: embedded }
        } else {
          key = o.keyring.byName(from)
          if (key === undefined) return void drop('unknown-sender', topic, 'howdy', from)
        }
        const message = utf8.encode(howdyMessage(from, h.To, h.Seq))
        return pinnedPlan('howdy', topic, pin, { message, signature: sig, publicKey: key }, () => {
          if (!seenHowdys.add(replayKey))
            return void drop('stale', topic, 'howdy', from, 'repeated Seq')
          accept('howdy', topic, from, h, { senderId: h.Me.ID })
        })
      }
      case 'newspaper': {
        const n = decoded.message
        const name = n.name
        const status = n.envelope.Status
        if (n.envelope.Signature === '') return void drop('unsigned', topic, 'newspaper', name)
        const sig = b64sig(n.envelope.Signature)
        if (sig === undefined) return void drop('bad-signature', topic, 'newspaper', name)
        let key: Uint8Array | undefined
        let pin: PinRequest | undefined
        if (status.PublicKey !== '') {
          key = decodePublicKey(status.PublicKey)
          if (key === undefined)
            return void drop('bad-schema', topic, 'newspaper', name, 'bad PublicKey')
          pin = { name, naraId: status.ID, publicKey: status.PublicKey }
        } else {
          key = o.keyring.byName(name)
          if (key === undefined) return void drop('unknown-sender', topic, 'newspaper', name)
        }
        return pinnedPlan(
          'newspaper',
          topic,
          pin,
          { message: n.statusBytes, signature: sig, publicKey: key },
          () => accept('newspaper', topic, name, n, { senderId: status.ID }),
        )
      }
      case 'checkpoint_propose':
      case 'checkpoint_vote': {
        const kind = decoded.kind
        const a = decoded.message
        const idLabel = kind === 'checkpoint_propose' ? a.subject_id : a.attester_id
        const dedupeKey = `${kind}:${a.signature}`
        if (a.signature === '') return void drop('unsigned', topic, kind, a.attester)
        if (seenIds.has(dedupeKey)) return void drop('duplicate', topic, kind, a.attester)
        const sig = b64sig(a.signature)
        if (sig === undefined) return void drop('bad-signature', topic, kind, a.attester)
        const key = o.keyring.byId(idLabel)
        if (key === undefined) return void drop('unknown-sender', topic, kind, a.attester)
        const byName = o.keyring.lookup(a.attester)
        const keyB64 = Buffer.from(key).toString('base64')
        if (byName !== undefined && byName !== keyB64) {
          keyConflict(
            kind,
            topic,
            { name: a.attester, naraId: idLabel, publicKey: keyB64 },
            'name',
            byName,
          )
          return undefined
        }
        const message = utf8.encode(attestationMessage(a))
        return pinnedPlan(
          kind,
          topic,
          undefined,
          { message, signature: sig, publicKey: key },
          () => {
            if (!seenIds.add(dedupeKey)) return void drop('duplicate', topic, kind, a.attester)
            accept(kind, topic, a.attester, a, { senderId: idLabel })
          },
        )
      }
      case 'checkpoint_final': {
        const ev = decoded.message
        const cp = ev.checkpoint
        const id = computeEventId(ev, hash)
        if (ev.id !== id) return void drop('bad-id', topic, 'checkpoint_final', cp.subject)
        if (!isFresh(ev.ts)) return void drop('stale', topic, 'checkpoint_final', cp.subject)
        if (seenIds.has(id)) return void drop('duplicate', topic, 'checkpoint_final', cp.subject)
        const voterIds = cp.voter_ids ?? []
        const signatures = cp.signatures ?? []
        // Each voter counts once, whatever the list says (WIRE.md §12.9).
        const distinct = new Map<string, string>()
        for (let i = 0; i < Math.min(voterIds.length, signatures.length); i++) {
          const voter = voterIds[i] as string
          if (!distinct.has(voter)) distinct.set(voter, signatures[i] as string)
        }
        if (distinct.size < 5) {
          const reason = voterIds.length >= 5 ? 'duplicate-voter' : 'unsigned'
          return void drop(
            reason,
            topic,
            'checkpoint_final',
            cp.subject,
            `${distinct.size} distinct voters`,
          )
        }
        const jobs: VerifyJob[] = []
        const jobVoters: string[] = []
        for (const [voter, sigText] of distinct) {
          const key = o.keyring.byId(voter)
          const sig = b64sig(sigText)
          if (key === undefined || sig === undefined) continue
          const att = checkpointVoterAttestation(cp, voter)
          jobs.push({
            message: utf8.encode(attestationMessage(att)),
            signature: sig,
            publicKey: key,
          })
          jobVoters.push(voter)
        }
        if (jobs.length < 2)
          return void drop('unknown-sender', topic, 'checkpoint_final', cp.subject)
        return {
          jobs,
          finish(results) {
            const voters = jobVoters.filter((_, i) => results[i] === true)
            if (voters.length < 2)
              return void drop('bad-signature', topic, 'checkpoint_final', cp.subject)
            if (!seenIds.add(id))
              return void drop('duplicate', topic, 'checkpoint_final', cp.subject)
            accept('checkpoint_final', topic, cp.subject, ev, {
              senderId: cp.subject_id,
              eventId: id,
              voters,
            })
          },
        }
      }
      case 'ledger_request':
      case 'ledger_response':
      case 'journey_complete': {
        const kind = decoded.kind
        const sender =
          kind === 'journey_complete' ? decoded.message.reported_by : decoded.message.From
        if (!o.acceptUnsigned.has(kind)) return void drop('unsigned', topic, kind, sender)
        accept(kind, topic, sender, decoded.message, { authenticated: false })
        return undefined
      }
      default:
        return void drop('wrong-topic', topic, decoded.kind)
    }
  }

  const run = (p: Plan, topic: string, kind: string): void => {
    if (o.pool === undefined) {
      const started = performance.now()
      const results = p.jobs.map((j) => {
        try {
          return o.backend.verify(j.signature, j.message, j.publicKey)
        } catch {
          return false
        }
      })
      o.counters.verified(p.jobs.length, performance.now() - started)
      p.finish(results)
      return
    }
    if (pendingVerifications + p.jobs.length > o.maxPendingVerifications) {
      drop('overloaded', topic, kind)
      return
    }
    pendingVerifications += p.jobs.length
    const started = performance.now()
    o.pool.submit(p.jobs, (results) => {
      pendingVerifications -= p.jobs.length
      o.counters.verified(p.jobs.length, performance.now() - started)
      try {
        p.finish(results)
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
        if (limiter !== undefined) {
          const claimed = claimedSender(kind, topic, buf)
          if (!limiter.take(claimed, o.clock.now()))
            return drop('rate-limited', topic, kind, claimed)
        }
        const decoded = decodeMessage(topic, buf, { maxBytes: o.maxPayloadBytes })
        if (!decoded.ok) return drop(decoded.reason, topic, kind, undefined, decoded.detail)
        const p = plan(topic, decoded)
        if (p !== undefined) run(p, topic, kind)
      } catch (error) {
        // One bad message never stops the pipeline.
        o.counters.dropped('internal-error')
        o.logger.error({ topic, err: String(error) }, 'inbound pipeline error')
      }
    },
  }
}
