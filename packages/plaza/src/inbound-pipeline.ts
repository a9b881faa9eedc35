/**
 * The inbound pipeline: every MQTT message goes through it, cheapest checks first, and leaves
 * either as one frozen {@link PlazaEvent} or as one counted drop. It never throws. This file is
 * the driver; each step is a module under `inbound/`:
 *
 * 1. admission (`admission.ts`): topic allow-list, size cap, the claimed sender (byte scan), and
 *    the pre-verification budgets of that claim (its own bucket, its class's pool);
 * 2. lossless decode (`@nara/protocol`); a claim that differs from the decoded sender is
 *    `malformed`;
 * 3. the kind's policy (`policies/`): `@nara/crypto`'s verification plan plus the plaza's rules
 *    (freshness, replay lookups, whether a first-use key could be pinned), as data;
 * 4. signature checks (`signature-checks.ts`: inline, or batched in the worker pool);
 * 5. after a valid signature only: the authenticated sender's bucket is charged, then pinning
 *    (`pinning.ts`: TOFU pin, confirmation, topic-only pin, NaraID binding), the replay memory
 *    (`replay-memories.ts`, bounded per sender), what the message proves and its presence
 *    effects (the policy again);
 * 6. own messages are counted as `own`; the rest is delivered.
 *
 * Nothing is remembered (dedupe, pins, howdy Seq, authenticated buckets) before the signature
 * verified, so a forged copy can never shadow the genuine message; and a rate-limited key never
 * fills a memory or takes a pin.
 */
import { sha256Of } from '@nara/crypto/backends'
import { decodeMessage, type TopicKind } from '@nara/protocol'
import { Admission } from './inbound/admission.js'
import { decodedSender } from './inbound/claimed-sender.js'
import type { InboundMemory, InboundPipeline, InboundPipelineOptions } from './inbound/options.js'
import { Pinning } from './inbound/pinning.js'
import { POLICIES } from './inbound/policies/index.js'
import type { Admitted, EventFacts, InboundContext, KindPolicy } from './inbound/policy.js'
import { ReplayMemories } from './inbound/replay-memories.js'
import { InboundReport } from './inbound/report.js'
import { SignatureChecks } from './inbound/signature-checks.js'
import { freezeEvent, type PlazaEvent } from './plaza-event.js'

export type { InboundMemory, InboundPipeline, InboundPipelineOptions } from './inbound/options.js'

const NO_RESULTS: readonly boolean[] = Object.freeze([])
/** The results of a held message whose checks threw (never a verdict: `internal-error`). */
const LOST_CHECK: readonly boolean[] = Object.freeze([])

/** A message admitted in this turn, its inline checks held for the turn's end. */
interface Held {
  readonly policy: KindPolicy
  readonly a: Admitted
  readonly nowMs: number
  results: readonly boolean[]
}
const LOST = 'signature check lost with a verify worker'
const CLAIM_DIFFERS = 'the sender field read before decoding differs from the decoded one'

/** Feeds each message through the steps, in order. */
class InboundDriver implements InboundPipeline {
  readonly #o: InboundPipelineOptions
  readonly #report: InboundReport
  readonly #admission: Admission
  readonly #ctx: InboundContext
  readonly #checks: SignatureChecks
  readonly #decodeOptions: { readonly maxBytes: number }
  /** Admitted messages whose inline checks wait for {@link InboundDriver.#flush}. */
  #held: Held[] = []
  readonly #flushHeld = (): void => this.#flush()

  constructor(o: InboundPipelineOptions) {
    const { counters, keyring, logger } = o
    const onDrop = o.onDrop?.bind(o)
    const onKeyConflict = o.onKeyConflict?.bind(o)
    const report = new InboundReport({ counters, logger, keyring, onDrop, onKeyConflict })
    const memories = new ReplayMemories(
      {
        dedupeSize: o.dedupeSize,
        dedupeSizePerSender: o.dedupeSizePerSender ?? 1024,
        freshnessWindowMs: o.freshnessWindowMs,
        howdyWindowMs: o.howdyWindowMs ?? 30_000,
        newspaperWindowMs: o.newspaperWindowMs ?? 600_000,
      },
      report,
      keyring,
    )
    this.#o = o
    this.#report = report
    this.#admission = new Admission(o, counters, report)
    this.#ctx = {
      keyring,
      backend: o.backend,
      planOptions: Object.freeze({ backend: o.backend }),
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
      const topicKind = this.#admission.admit(topic, buf, now)
      if (topicKind === undefined) return
      const { kind, claimed } = topicKind
      const decoded = decodeMessage(topic, buf, this.#decodeOptions)
      if (!decoded.ok) {
        this.#report.drop(decoded.reason, topic, kind, undefined, decoded.detail)
        return
      }
      if (claimed !== '' && claimed !== decodedSender(kind, decoded)) {
        // The budget was paid by another name than the message's (a duplicate field?).
        this.#report.drop('malformed', topic, kind, claimed, CLAIM_DIFFERS)
        return
      }
      const policy = POLICIES[decoded.kind]
      if (policy === undefined) {
        this.#report.drop('wrong-topic', topic, decoded.kind)
        return
      }
      // What held messages will pin or remember decides other kinds' admission (a new nara's
      // hey_there, then its howdy): they finish first.
      if (policy.holdable === undefined && this.#held.length > 0) this.#flush()
      const admitted = policy.admit(decoded, topic, now, this.#ctx)
      if (admitted !== undefined) this.#verify(policy, admitted, kind, now)
    } catch (error) {
      // One bad message never stops the pipeline.
      this.#failed(topic, error)
    }
  }

  memory(): InboundMemory {
    return {
      replay: this.#ctx.memories.sizes(this.#o.clock.now()),
      claimedBuckets: this.#admission.budgets?.claimedBuckets ?? 0,
      senderBuckets: this.#admission.senderBuckets,
    }
  }

  oversized(topic: string, byteLength: number): void {
    try {
      this.#admission.oversized(topic, byteLength)
    } catch (error) {
      this.#failed(topic, error)
    }
  }

  /** Runs the admitted message's signature checks, then finishes it. */
  #verify(policy: KindPolicy, a: Admitted, kind: TopicKind, nowMs: number): void {
    const jobs = a.plan.checks
    if (
      this.#o.holdInlineChecks === true &&
      this.#checks.isInline &&
      jobs.length > 0 &&
      policy.holdable?.(a) === true
    ) {
      if (this.#held.length === 0) queueMicrotask(this.#flushHeld)
      this.#held.push({ policy, a, nowMs, results: NO_RESULTS })
      return
    }
    if (this.#held.length > 0) this.#flush()
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

  /** The held messages: every check first, back to back, then each message in order. */
  #flush(): void {
    const held = this.#held
    this.#held = []
    for (const h of held) {
      try {
        h.results = this.#checks.inline(h.a.plan.checks)
      } catch {
        h.results = LOST_CHECK
      }
    }
    for (const h of held) {
      try {
        if (h.results === LOST_CHECK) this.#failed(h.a.topic, 'signature check failed to run')
        else this.#finish(h.policy, h.a, h.results, h.nowMs)
      } catch (error) {
        this.#failed(h.a.topic, error)
      }
    }
  }

  /** One message failed in the plaza itself: counted `internal-error`, never a crash. */
  #failed(topic: string, error: unknown): void {
    this.#o.counters.dropped('internal-error')
    this.#o.logger.error({ topic, err: String(error) }, 'inbound pipeline error')
  }

  /**
   * After the signature checks: verdict, the authenticated bucket (before anything is pinned or
   * remembered), pinning, replay memory, proof, delivery.
   */
  #finish(policy: KindPolicy, a: Admitted, results: readonly boolean[], nowMs: number): void {
    const verdict = a.plan.finish(results)
    if (verdict.verdict !== 'accept') {
      this.#report.rejected(verdict, a.topic, a.kind, a.sender, a.offeredKey)
      return
    }
    const own = a.sender === this.#o.me
    if (!own && !this.#admission.charge(a.kind, a.topic, a.sender, a.authenticated, nowMs)) return
    const ctx = this.#ctx
    if (policy.verified?.(a, nowMs, ctx) === false) return
    const senderId = ctx.pinning.settle(a, nowMs)
    if (senderId === null || !ctx.memories.remember(a, nowMs)) return
    const facts = policy.proved(a, verdict, senderId, nowMs, ctx)
    if (own) this.#o.counters.own()
    else this.#deliver(a, facts, nowMs)
  }

  /** Delivery as one frozen event. */
  #deliver(a: Admitted, facts: EventFacts, nowMs: number): void {
    const o = this.#o
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
