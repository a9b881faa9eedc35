/**
 * Admission: what runs before a message is even decoded, cheapest first — the topic allow-list,
 * the size cap, and the pre-verification budgets of the sender it CLAIMS (`sender-budgets.ts`:
 * the claimed name's own bucket, then its class's pool). After verification,
 * {@link Admission.charge} takes from the AUTHENTICATED sender's bucket, before anything is
 * pinned or remembered, so a rate-limited key never fills a memory or takes a pin.
 */
import { classifyTopic, type TopicKind } from '@nara/protocol'
import type { Counters } from '../counters.js'
import type { Keyring } from '../keyring.js'
import { KeyedRateLimiter, type KeyedRateLimiterOptions } from '../token-bucket.js'
import { claimedSender } from './claimed-sender.js'
import type { InboundReport } from './report.js'
import {
  DEFAULT_PRE_VERIFY,
  type PreVerifyBudgetOptions,
  PreVerifyBudgets,
} from './sender-budgets.js'

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** Largest accepted payload, in bytes. */
  maxPayloadBytes: number
  /** Per-sender token bucket (authenticated senders), or false to disable every rate limit. */
  rateLimit: KeyedRateLimiterOptions | false
  /** Pre-verification budgets. Default {@link DEFAULT_PRE_VERIFY}. Off with `rateLimit: false`. */
  preVerify?: PreVerifyBudgetOptions | undefined
  keyring: Keyring
}

/** An admitted message: its topic kind and the sender it claims ('' for none). */
export interface AdmittedTopic {
  readonly kind: TopicKind
  readonly claimed: string
}

/** Bucket-key prefix for unauthenticated kinds: a claimed name must never drain the real one's. */
const UNAUTHENTICATED = '\u0000unauthenticated:'

/** Topic, size and budgets: the checks before decoding, and the charge after verification. */
export class Admission {
  readonly #maxPayloadBytes: number
  readonly #limiter: KeyedRateLimiter | undefined
  readonly #budgets: PreVerifyBudgets | undefined
  readonly #counters: Counters
  readonly #report: InboundReport

  constructor(o: AdmissionOptions, counters: Counters, report: InboundReport) {
    this.#maxPayloadBytes = o.maxPayloadBytes
    if (o.rateLimit !== false) {
      this.#limiter = new KeyedRateLimiter(o.rateLimit)
      this.#budgets = new PreVerifyBudgets(o.preVerify ?? DEFAULT_PRE_VERIFY, o.keyring)
    }
    this.#counters = counters
    this.#report = report
  }

  /** Authenticated sender buckets held (bounded by `rateLimit.maxBuckets`). */
  get senderBuckets(): number {
    return this.#limiter?.size ?? 0
  }

  /** The pre-verification budgets (undefined when rate limits are off). */
  get budgets(): PreVerifyBudgets | undefined {
    return this.#budgets
  }

  /** The topic kind, after counting a wrong/dead topic or an oversized payload as a drop. */
  #sized(topic: string, byteLength: number): TopicKind | undefined {
    const report = this.#report
    const kind = classifyTopic(topic)
    if (kind === null) return void report.drop('wrong-topic', topic)
    if (kind === 'stash_refresh') return void report.drop('dead-topic', topic, kind)
    this.#counters.received(kind)
    if (byteLength > this.#maxPayloadBytes) {
      return void report.drop('too-large', topic, kind, undefined, `${byteLength} bytes`)
    }
    return kind
  }

  /** The admitted message, or undefined after counting its drop. */
  admit(topic: string, payload: Buffer, nowMs: number): AdmittedTopic | undefined {
    const kind = this.#sized(topic, payload.byteLength)
    if (kind === undefined) return undefined
    const claimed = claimedSender(kind, topic, payload)
    const refused = this.#budgets?.take(claimed, nowMs)
    if (refused !== undefined) {
      return void this.#report.drop(
        refused.reason,
        topic,
        kind,
        claimed || undefined,
        refused.detail,
      )
    }
    return { kind, claimed }
  }

  /**
   * A PUBLISH the transport skipped unread because its payload (`byteLength` bytes) exceeds the
   * cap: counted like an oversized payload (or as a wrong/dead topic).
   */
  oversized(topic: string, byteLength: number): void {
    // Counted once: a wrong or dead topic as such, else as too large, the payload never read.
    const kind = classifyTopic(topic)
    if (kind === null || kind === 'stash_refresh') return void this.#sized(topic, byteLength)
    this.#counters.received(kind)
    const detail = `${byteLength} bytes, skipped unread by the transport`
    this.#report.drop('too-large', topic, kind, undefined, detail)
  }

  /**
   * After verification: charges the sender's bucket (an unauthenticated claim pays from a
   * bucket apart from the real name's). False after counting a `rate-limited` drop.
   */
  charge(kind: string, topic: string, sender: string, authenticated: boolean, nowMs: number) {
    const limiter = this.#limiter
    if (limiter === undefined) return true
    const bucket = authenticated ? sender : `${UNAUTHENTICATED}${sender}`
    if (limiter.take(bucket, nowMs)) return true
    this.#report.drop('rate-limited', topic, kind, sender)
    return false
  }
}
