/**
 * Admission: what runs before a message is even decoded, cheapest first — the topic allow-list,
 * the size cap, a budget per topic kind shared by all senders (so it cannot be aimed at one),
 * and the claimed sender's AUTHENTICATED bucket, only READ here. Only a message that verified
 * with that sender's key ever takes tokens from it ({@link Admission.charge}), so no forger can
 * throttle an honest sender.
 */
import { classifyTopic, type TopicKind } from '@nara/protocol'
import type { Counters } from '../counters.js'
import {
  KeyedRateLimiter,
  type KeyedRateLimiterOptions,
  type TokenBucketOptions,
} from '../token-bucket.js'
import { claimedSender } from './claimed-sender.js'
import { POLICIES } from './policies/index.js'
import type { InboundReport } from './report.js'

/** Options of {@link Admission}. */
export interface AdmissionOptions {
  /** Largest accepted payload, in bytes. */
  maxPayloadBytes: number
  /** Per-sender token bucket (authenticated senders), or false to disable every rate limit. */
  rateLimit: KeyedRateLimiterOptions | false
  /** Budget per topic kind before verification. Default: capacity 2000, 1000 per second. */
  preVerifyLimit?: TokenBucketOptions | undefined
}

/** Bucket-key prefix for unauthenticated kinds: a claimed name must never drain the real one's. */
const UNAUTHENTICATED = '\u0000unauthenticated:'

/** Topic, size and budgets: the checks before decoding, and the charge after verification. */
export class Admission {
  readonly #maxPayloadBytes: number
  readonly #limiter: KeyedRateLimiter | undefined
  readonly #preLimiter: KeyedRateLimiter | undefined
  readonly #counters: Counters
  readonly #report: InboundReport

  constructor(o: AdmissionOptions, counters: Counters, report: InboundReport) {
    this.#maxPayloadBytes = o.maxPayloadBytes
    if (o.rateLimit !== false) {
      this.#limiter = new KeyedRateLimiter(o.rateLimit)
      const pre = { capacity: 2000, refillPerSecond: 1000, ...o.preVerifyLimit }
      this.#preLimiter = new KeyedRateLimiter(pre)
    }
    this.#counters = counters
    this.#report = report
  }

  /** The topic kind of an admitted message, or undefined after counting its drop. */
  admit(topic: string, payload: Buffer, nowMs: number): TopicKind | undefined {
    const report = this.#report
    const kind = classifyTopic(topic)
    if (kind === null) return void report.drop('wrong-topic', topic)
    if (kind === 'stash_refresh') return void report.drop('dead-topic', topic, kind)
    this.#counters.received(kind)
    if (payload.byteLength > this.#maxPayloadBytes) {
      return void report.drop('too-large', topic, kind, undefined, `${payload.byteLength} bytes`)
    }
    const limiter = this.#limiter
    const preLimiter = this.#preLimiter
    if (limiter !== undefined && preLimiter !== undefined) {
      if (!preLimiter.take(kind, nowMs)) {
        const detail = 'pre-verification budget spent'
        return void report.drop('overloaded', topic, kind, undefined, detail)
      }
      // Read, never charged here: only a verified message from that name takes its tokens.
      if (POLICIES[kind]?.senderSigned === true) {
        const claimed = claimedSender(kind, topic, payload)
        if (claimed !== '' && !limiter.peek(claimed, nowMs)) {
          return void report.drop('rate-limited', topic, kind, claimed)
        }
      }
    }
    return kind
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
