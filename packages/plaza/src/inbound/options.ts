/**
 * The inbound pipeline's options and surface (the driver is `inbound-pipeline.ts`).
 */
import type { Ed25519Backend } from '@nara/crypto'
import type { Clock } from '../clock.js'
import type { Counters } from '../counters.js'
import type { Keyring } from '../keyring.js'
import type { Logger } from '../logger.js'
import type { DropEvent, KeyConflictEvent, PlazaEvent, PlazaMessageKind } from '../plaza-event.js'
import type { KeyedRateLimiterOptions } from '../token-bucket.js'
import type { VerifyPool } from '../verify-pool.js'
import type { MemoryName } from './replay-memories.js'
import type { PreVerifyBudgetOptions } from './sender-budgets.js'

/** Options of `createInboundPipeline`. */
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
   * Budgets before verification, by claimed sender: a bucket per standing/newcomer name, then a
   * pool per class (`inbound/sender-budgets.ts`). Default `DEFAULT_PRE_VERIFY`. Off when
   * `rateLimit` is false.
   */
  preVerify?: PreVerifyBudgetOptions
  /**
   * Accepted distance of a SyncEvent `ts`, and of a proposal/vote `as_of_time`, from the clock,
   * in ms (both directions). Replay memories of events last twice this long.
   */
  freshnessWindowMs: number
  /**
   * Most unexpired entries per replay memory. When full, a new entry makes room by forgetting
   * the oldest entry of the sender with the most entries (senders without standing first).
   */
  dedupeSize: number
  /**
   * Most unexpired entries one sender may hold in each replay memory; beyond it its messages drop
   * as `overloaded` until its entries expire. Default 1024 (at most `dedupeSize`).
   */
  dedupeSizePerSender?: number
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
  /**
   * Inline checks of the messages of one turn whose kind allows it (`KindPolicy.holdable`: a
   * social from a pinned sender) run together at the turn's end (a microtask), back to back, then
   * each message is finished in order; any other message first finishes the held ones. Default
   * false (each message at once).
   */
  holdInlineChecks?: boolean
  deliver(event: PlazaEvent): void
  onDrop?(drop: DropEvent): void
  onKeyConflict?(conflict: KeyConflictEvent): void
}

export interface InboundPipeline {
  /** Feeds one MQTT message. Never throws. */
  handle(topic: string, payload: Uint8Array): void
  /**
   * A PUBLISH the transport skipped unread (payload of `byteLength` bytes over the cap): counted
   * as `too-large`. Never throws.
   */
  oversized(topic: string, byteLength: number): void
  /** What the inbound path remembers now (each bounded by an option), at the clock's time. */
  memory(): InboundMemory
}

/** Sizes of the inbound path's memories (see {@link InboundPipeline.memory}). */
export interface InboundMemory {
  /** Unexpired entries per replay memory (each at most `dedupeSize`). */
  readonly replay: Readonly<Record<MemoryName, number>>
  /** Per-name claimed buckets before verification (at most `preVerify.claimed.maxBuckets`). */
  readonly claimedBuckets: number
  /** Authenticated sender buckets (at most `rateLimit.maxBuckets`). */
  readonly senderBuckets: number
}
