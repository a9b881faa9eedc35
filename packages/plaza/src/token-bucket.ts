import { LruMap } from './lru.js'

/** Options of a token bucket. */
export interface TokenBucketOptions {
  /** Burst size: tokens a full bucket holds. */
  capacity: number
  /** Tokens added per second. */
  refillPerSecond: number
}

/** A classic token bucket. Time comes from the caller (ms), so tests stay deterministic. */
export class TokenBucket {
  readonly capacity: number
  readonly refillPerSecond: number
  #tokens: number
  #lastMs: number

  constructor(options: TokenBucketOptions, nowMs: number) {
    if (!(options.capacity >= 1) || !(options.refillPerSecond >= 0)) {
      throw new RangeError('token bucket needs capacity >= 1 and refillPerSecond >= 0')
    }
    this.capacity = options.capacity
    this.refillPerSecond = options.refillPerSecond
    this.#tokens = options.capacity
    this.#lastMs = nowMs
  }

  #refill(nowMs: number): void {
    const elapsedMs = nowMs - this.#lastMs
    if (elapsedMs > 0) {
      this.#tokens = Math.min(
        this.capacity,
        this.#tokens + (elapsedMs * this.refillPerSecond) / 1000,
      )
      this.#lastMs = nowMs
    }
  }

  /** Takes one token if available. */
  take(nowMs: number): boolean {
    this.#refill(nowMs)
    if (this.#tokens >= 1) {
      this.#tokens -= 1
      return true
    }
    return false
  }

  /** Whether a token is available, without taking it. */
  peek(nowMs: number): boolean {
    this.#refill(nowMs)
    return this.#tokens >= 1
  }

  /** True when the bucket is full again (equivalent to a fresh one). */
  isFull(nowMs: number): boolean {
    this.#refill(nowMs)
    return this.#tokens >= this.capacity
  }
}

/** Options of {@link KeyedRateLimiter}. */
export interface KeyedRateLimiterOptions extends TokenBucketOptions {
  /** Most buckets kept at once. Default 4096. */
  maxBuckets?: number
}

/**
 * One token bucket per key (the claimed sender), with a bounded number of buckets. When the
 * table is full, the least recently used bucket is recycled only if it is full again (no state
 * is lost: a full bucket equals a fresh one); otherwise the newcomer shares one overflow
 * bucket. So cycling through fresh names can neither grow memory nor reset a flooder's bucket,
 * and a flood from one name never drains another name's bucket.
 */
export class KeyedRateLimiter {
  readonly #options: TokenBucketOptions
  readonly #buckets: LruMap<string, TokenBucket>
  #overflow: TokenBucket | undefined

  constructor(options: KeyedRateLimiterOptions) {
    this.#options = { capacity: options.capacity, refillPerSecond: options.refillPerSecond }
    this.#buckets = new LruMap(options.maxBuckets ?? 4096)
  }

  get size(): number {
    return this.#buckets.size
  }

  /**
   * Whether `key`'s bucket has a token, without taking one or creating the bucket (a key with
   * no bucket yet has a full one).
   */
  peek(key: string, nowMs: number): boolean {
    const bucket = this.#buckets.peek(key)
    return bucket === undefined || bucket.peek(nowMs)
  }

  /** Takes a token from `key`'s bucket. False = rate limited. */
  take(key: string, nowMs: number): boolean {
    let bucket = this.#buckets.get(key)
    if (bucket === undefined) {
      if (this.#buckets.size >= this.#buckets.maxSize) {
        const oldest = this.#buckets.oldest()
        if (oldest?.[1].isFull(nowMs)) {
          this.#buckets.delete(oldest[0])
        } else {
          this.#overflow ??= new TokenBucket(this.#options, nowMs)
          return this.#overflow.take(nowMs)
        }
      }
      bucket = new TokenBucket(this.#options, nowMs)
      this.#buckets.set(key, bucket)
    }
    return bucket.take(nowMs)
  }
}
