/**
 * One class of owners of a bounded memory, ranked by how many entries each holds, with the owner
 * holding the most found in O(1). Counts only move by one, so owners holding the same count share
 * a bucket, and the buckets are linked in count order (a frequency list): a step moves an owner
 * to the neighbouring bucket, or renumbers its bucket in place when it is alone there (a busy
 * sender at the top), without a hash-table operation or an allocation.
 */

/** One owner's share of a memory: its count, its class, and its place in that class's buckets. */
export class Share {
  /** Entries held (0: not counted). */
  count = 0
  /** Whether the owner is classed with standing. */
  standing = false
  /** The bucket holding this owner, and its neighbours there (arrival order): for CountBuckets. */
  bucket: Bucket | undefined = undefined
  prev: Share | undefined = undefined
  next: Share | undefined = undefined

  constructor(readonly owner: string) {}
}

/** The owners of a class holding `count` entries, oldest arrival first. */
interface Bucket {
  count: number
  first: Share | undefined
  last: Share | undefined
  /** The bucket of the next smaller count, and of the next larger. */
  below: Bucket | undefined
  above: Bucket | undefined
}

/** The owners of one class, in buckets of equal count. */
export class CountBuckets {
  #top: Bucket | undefined = undefined
  #bottom: Bucket | undefined = undefined

  /**
   * An owner holding the most entries of this class other than `not`; when `not` alone holds the
   * most, one holding the next largest count (undefined if none).
   */
  top(not: Share | undefined): Share | undefined {
    const top = this.#top
    if (top === undefined) return undefined
    const first = top.first as Share
    if (first !== not) return first
    return first.next ?? top.below?.first
  }

  /**
   * Files `share` at its count as the newest of its bucket. O(1) at count 1 (a new owner);
   * otherwise (a class change: rare) the buckets are scanned from the top, and a class holding
   * n entries has fewer than √(2n) distinct counts.
   */
  enter(share: Share): void {
    const count = share.count
    // The bucket at or just below `count`, and the one just above it.
    let below: Bucket | undefined
    let above: Bucket | undefined
    if (count === 1) {
      const bottom = this.#bottom
      if (bottom?.count === 1) below = bottom
      else above = bottom
    } else {
      below = this.#top
      while (below !== undefined && below.count > count) {
        above = below
        below = below.below
      }
    }
    const bucket = below?.count === count ? below : this.#link(count, below, above)
    this.#append(bucket, share)
  }

  /** Moves `share` one count up or down (its `count` not yet changed: the bucket's is read). */
  step(share: Share, up: boolean): void {
    const bucket = share.bucket as Bucket
    const to = up ? bucket.count + 1 : bucket.count - 1
    const next = up ? bucket.above : bucket.below
    if (next !== undefined && next.count === to) {
      this.leave(share)
      this.#append(next, share)
    } else if (bucket.first === share && bucket.last === share) bucket.count = to
    else {
      this.leave(share)
      this.#append(up ? this.#link(to, bucket, next) : this.#link(to, next, bucket), share)
    }
  }

  /** Takes `share` out of its bucket, dropping the bucket when it empties. */
  leave(share: Share): void {
    const bucket = share.bucket as Bucket
    if (share.prev === undefined) bucket.first = share.next
    else share.prev.next = share.next
    if (share.next === undefined) bucket.last = share.prev
    else share.next.prev = share.prev
    share.bucket = share.prev = share.next = undefined
    if (bucket.first !== undefined) return
    if (bucket.below === undefined) this.#bottom = bucket.above
    else bucket.below.above = bucket.above
    if (bucket.above === undefined) this.#top = bucket.below
    else bucket.above.below = bucket.below
  }

  #append(bucket: Bucket, share: Share): void {
    share.bucket = bucket
    share.prev = bucket.last
    if (bucket.last === undefined) bucket.first = share
    else bucket.last.next = share
    bucket.last = share
  }

  /** A new, empty bucket for `count` between `below` and `above` (adjacent, or absent). */
  #link(count: number, below: Bucket | undefined, above: Bucket | undefined): Bucket {
    const bucket: Bucket = { count, first: undefined, last: undefined, below, above }
    if (below === undefined) this.#bottom = bucket
    else below.above = bucket
    if (above === undefined) this.#top = bucket
    else above.below = bucket
    return bucket
  }
}
