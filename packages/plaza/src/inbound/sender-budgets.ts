/**
 * Pre-verification budgets, charged before a message is even decoded, by the sender it CLAIMS
 * (the byte scan of `claimed-sender.ts`, or the newspaper topic). The claimed name's class picks
 * a pool: `standing` (its key pin is durable), `newcomer` (a provisional or topic-only pin) or
 * `unknown` (no pin, or no readable claim). A standing or newcomer name first pays from its own
 * claimed bucket (bounded LRU), then from its class's pool; unknown names share the unknown pool
 * only. So junk and names nobody pinned can only spend the unknown pool, a flood from one name
 * spends that name's bucket (its pool only up to the bucket's rate), and names with standing keep
 * their pool. Residual: junk that claims alice's name spends alice's claimed bucket; her key is
 * public, so only verifying tells it apart.
 */
import type { Keyring } from '../keyring.js'
import {
  KeyedRateLimiter,
  type KeyedRateLimiterOptions,
  TokenBucket,
  type TokenBucketOptions,
} from '../token-bucket.js'

/** How much the plaza knows a claimed sender: picks its pre-verification pool. */
export type SenderClass = 'standing' | 'newcomer' | 'unknown'

/** Sizes of the pre-verification budgets. */
export interface PreVerifyBudgetOptions {
  /** Per-name bucket of standing and newcomer names (`maxBuckets` names tracked). */
  claimed: KeyedRateLimiterOptions
  /** One pool per class. */
  pools: Readonly<Record<SenderClass, TokenBucketOptions>>
}

/** Defaults: generous for honest naras (a nara sends a few messages a minute). */
export const DEFAULT_PRE_VERIFY: PreVerifyBudgetOptions = Object.freeze({
  claimed: Object.freeze({ capacity: 30, refillPerSecond: 10, maxBuckets: 4096 }),
  pools: Object.freeze({
    standing: Object.freeze({ capacity: 4000, refillPerSecond: 2000 }),
    newcomer: Object.freeze({ capacity: 1000, refillPerSecond: 500 }),
    unknown: Object.freeze({ capacity: 400, refillPerSecond: 200 }),
  }),
})

/** Why a claim was refused: its own bucket, or its class's pool. */
export type BudgetRefusal = {
  readonly reason: 'rate-limited' | 'overloaded'
  readonly detail: string
}

/** The class pools and per-name claimed buckets. */
export class PreVerifyBudgets {
  readonly #o: PreVerifyBudgetOptions
  readonly #keyring: Keyring
  readonly #claimed: KeyedRateLimiter
  readonly #pools = new Map<SenderClass, TokenBucket>()

  constructor(options: PreVerifyBudgetOptions, keyring: Keyring) {
    this.#o = options
    this.#keyring = keyring
    this.#claimed = new KeyedRateLimiter(options.claimed)
  }

  /** Named buckets held (bounded by `claimed.maxBuckets`). */
  get claimedBuckets(): number {
    return this.#claimed.size
  }

  /** The class of a claimed name ('' is no claim: unknown). */
  classOf(name: string): SenderClass {
    if (name === '') return 'unknown'
    const keyring = this.#keyring
    if (keyring.isDurable(name)) return 'standing'
    if (keyring.byName(name) !== undefined || keyring.weakByName(name) !== undefined) {
      return 'newcomer'
    }
    return 'unknown'
  }

  /** Charges a message claiming `name`; undefined when admitted, else why it was refused. */
  take(name: string, nowMs: number): BudgetRefusal | undefined {
    const cls = this.classOf(name)
    if (cls !== 'unknown' && !this.#claimed.take(name, nowMs)) {
      return { reason: 'rate-limited', detail: 'claimed sender bucket spent (before verification)' }
    }
    let pool = this.#pools.get(cls)
    if (pool === undefined) {
      pool = new TokenBucket(this.#o.pools[cls], nowMs)
      this.#pools.set(cls, pool)
    }
    if (pool.take(nowMs)) return undefined
    return { reason: 'overloaded', detail: `${cls} pre-verification pool spent` }
  }
}
