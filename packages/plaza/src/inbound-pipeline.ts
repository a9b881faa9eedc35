/**
 * The inbound pipeline: every MQTT message goes through it, cheapest checks first, and leaves
 * either as one frozen {@link PlazaEvent} or as one counted drop. It never throws. This file is
 * the driver; each step is a module under `inbound/`:
 *
 * 1. admission (`admission.ts`): topic allow-list, size cap, a budget per topic kind, and the
 *    claimed sender's AUTHENTICATED bucket, only read;
 * 2. lossless decode (`@nara/protocol`);
 * 3. the kind's policy (`policies/`): `@nara/crypto`'s verification plan plus the plaza's rules
 *    (freshness, replay lookups, whether a first-use key could be pinned), as data;
 * 4. signature checks (`signature-checks.ts`: inline, or batched in the worker pool);
 * 5. after a valid signature only: pinning (`pinning.ts`: TOFU pin, confirmation, topic-only pin,
 *    NaraID binding), the replay memory (`replay-memories.ts`), what the message proves and its
 *    presence effects (the policy again);
 * 6. own messages are counted as `own`; the authenticated sender's bucket is charged; delivered.
 *
 * Nothing is remembered (dedupe, pins, howdy Seq, buckets) before the signature verified, so a
 * forged copy can never shadow or throttle the genuine message.
 */
import type { Ed25519Backend } from '@nara/crypto'
import { sha256Of } from '@nara/crypto/backends'
import { decodeMessage, type TopicKind } from '@nara/protocol'
import type { Clock } from './clock.js'
import type { Counters } from './counters.js'
import { Admission } from './inbound/admission.js'
import { Pinning } from './inbound/pinning.js'
import { POLICIES } from './inbound/policies/index.js'
import type { Admitted, EventFacts, InboundContext, KindPolicy } from './inbound/policy.js'
import { ReplayMemories } from './inbound/replay-memories.js'
import { InboundReport } from './inbound/report.js'
import { SignatureChecks } from './inbound/signature-checks.js'
import type { Keyring } from './keyring.js'
import type { Logger } from './logger.js'
import {
  type DropEvent,
  freezeEvent,
  type KeyConflictEvent,
  type PlazaEvent,
  type PlazaMessageKind,
} from './plaza-event.js'
import type { KeyedRateLimiterOptions, TokenBucketOptions } from './token-bucket.js'
import type { VerifyPool } from './verify-pool.js'

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

const NO_RESULTS: readonly boolean[] = Object.freeze([])
const LOST = 'signature check lost with a verify worker'

/** Feeds each message through the steps, in order. */
class InboundDriver implements InboundPipeline {
  readonly #o: InboundPipelineOptions
  readonly #report: InboundReport
  readonly #admission: Admission
  readonly #ctx: InboundContext
  readonly #checks: SignatureChecks
  readonly #decodeOptions: { readonly maxBytes: number }

  constructor(o: InboundPipelineOptions) {
    const { counters, keyring, logger } = o
    const onDrop = o.onDrop?.bind(o)
    const onKeyConflict = o.onKeyConflict?.bind(o)
    const report = new InboundReport({ counters, logger, keyring, onDrop, onKeyConflict })
    const memories = new ReplayMemories(
      {
        dedupeSize: o.dedupeSize,
        freshnessWindowMs: o.freshnessWindowMs,
        howdyWindowMs: o.howdyWindowMs ?? 30_000,
        newspaperWindowMs: o.newspaperWindowMs ?? 600_000,
      },
      report,
    )
    this.#o = o
    this.#report = report
    this.#admission = new Admission(o, counters, report)
    this.#ctx = {
      keyring,
      backend: o.backend,
      // The event ID and the signing digest are two hashes per SyncEvent on the hot path.
      hash: sha256Of(o.backend),
      freshnessWindowMs: o.freshnessWindowMs,
      howdyNeedsHeyThere: o.howdyNeedsHeyThere !== false,
      acceptUnsigned: o.acceptUnsigned,
      memories,
      pinning: new Pinning(keyring, report),
      report,
    }
    this.#checks = new SignatureChecks(o.backend, o.pool, o.maxPendingVerifications, counters)
    this.#decodeOptions = { maxBytes: o.maxPayloadBytes }
  }

  handle(topic: string, payload: Uint8Array): void {
    try {
      // One clock read per message (a worker-verified one reads it again when it finishes).
      const now = this.#o.clock.now()
      const buf = Buffer.isBuffer(payload)
        ? payload
        : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
      const kind = this.#admission.admit(topic, buf, now)
      if (kind === undefined) return
      const decoded = decodeMessage(topic, buf, this.#decodeOptions)
      if (!decoded.ok) {
        this.#report.drop(decoded.reason, topic, kind, undefined, decoded.detail)
        return
      }
      const policy = POLICIES[decoded.kind]
      if (policy === undefined) {
        this.#report.drop('wrong-topic', topic, decoded.kind)
        return
      }
      const admitted = policy.admit(decoded, topic, now, this.#ctx)
      if (admitted !== undefined) this.#verify(policy, admitted, kind, now)
    } catch (error) {
      // One bad message never stops the pipeline.
      this.#o.counters.dropped('internal-error')
      this.#o.logger.error({ topic, err: String(error) }, 'inbound pipeline error')
    }
  }

  /** Runs the admitted message's signature checks, then finishes it. */
  #verify(policy: KindPolicy, a: Admitted, kind: TopicKind, nowMs: number): void {
    const jobs = a.plan.checks
    if (jobs.length === 0 || this.#checks.isInline) {
      this.#finish(policy, a, jobs.length === 0 ? NO_RESULTS : this.#checks.inline(jobs), nowMs)
      return
    }
    const submitted = this.#checks.submit(jobs, (results, lost) => {
      // Never a verdict on the message, and never delivered unverified.
      if (lost) {
        this.#report.drop('internal-error', a.topic, kind, undefined, LOST)
        return
      }
      try {
        this.#finish(policy, a, results, this.#o.clock.now())
      } catch (error) {
        const fields = { topic: a.topic, kind, err: String(error) }
        this.#o.logger.error(fields, 'inbound pipeline failed after verify')
      }
    })
    if (!submitted) this.#report.drop('overloaded', a.topic, kind)
  }

  /** After the signature checks: verdict, pinning, replay memory, proof, delivery. */
  #finish(policy: KindPolicy, a: Admitted, results: readonly boolean[], nowMs: number): void {
    const verdict = a.plan.finish(results)
    if (verdict.verdict !== 'accept') {
      this.#report.rejected(verdict, a.topic, a.kind, a.sender, a.offeredKey)
      return
    }
    const ctx = this.#ctx
    if (policy.verified?.(a, nowMs, ctx) === false) return
    const senderId = ctx.pinning.settle(a, nowMs)
    if (senderId === null || !ctx.memories.remember(a, nowMs)) return
    this.#deliver(a, policy.proved(a, verdict, senderId, nowMs, ctx), nowMs)
  }

  /** Our own message, or the sender's bucket is empty, or delivery as one frozen event. */
  #deliver(a: Admitted, facts: EventFacts, nowMs: number): void {
    const o = this.#o
    if (a.sender === o.me) {
      o.counters.own()
      return
    }
    if (!this.#admission.charge(a.kind, a.topic, a.sender, a.authenticated, nowMs)) return
    o.counters.accepted(a.kind)
    const event = {
      kind: a.kind,
      topic: a.topic,
      sender: a.sender,
      senderId: facts.senderId === '' ? undefined : facts.senderId,
      authenticated: a.authenticated,
      nameProof: facts.nameProof,
      eventId: a.eventId,
      voters: facts.voters,
      receivedAtMs: nowMs,
      message: a.message,
    } as PlazaEvent
    o.deliver(freezeEvent(event))
  }
}

/** The inbound pipeline `createPlaza` feeds every MQTT message to. */
export function createInboundPipeline(options: InboundPipelineOptions): InboundPipeline {
  return new InboundDriver(options)
}
