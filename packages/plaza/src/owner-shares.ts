/**
 * Who holds how many entries of a bounded memory, in two classes (owners with standing, and the
 * rest), and who pays when it is full, in O(1) (see `count-buckets.ts`). Each owner is one
 * {@link Share} record, so a caller that keeps the record (the replay memory keeps its queue of
 * keys on it) counts an entry without another lookup.
 */
import { CountBuckets, Share } from './count-buckets.js'

export { Share }

/** Entries per owner, and the owner that pays when the memory is full. */
export class OwnerShares<S extends Share = Share> {
  readonly #shares = new Map<string, S>()
  readonly #rest = new CountBuckets()
  readonly #known = new CountBuckets()
  readonly #create: (owner: string) => S

  /** `create` makes the record of an owner counted for the first time (by {@link add}). */
  constructor(create = (owner: string) => new Share(owner) as S) {
    this.#create = create
  }

  /** Owners holding at least one entry. */
  get owners(): number {
    return this.#shares.size
  }

  /** The record of `owner` while it holds an entry. */
  find(owner: string): S | undefined {
    return this.#shares.get(owner)
  }

  /** Entries `owner` holds. */
  of(owner: string): number {
    return this.#shares.get(owner)?.count ?? 0
  }

  /** `owner` holds one more entry; `standing` (re)classes it. */
  add(owner: string, standing: boolean): void {
    this.grow(this.#shares.get(owner) ?? this.#create(owner), standing)
  }

  /** `owner` holds one entry less. */
  remove(owner: string): void {
    const share = this.#shares.get(owner)
    if (share !== undefined) this.shrink(share)
  }

  /**
   * Who forgets an entry so that `owner` (with standing or not) can add one to a full memory:
   * the owner without standing that holds the most, then the owner with standing that holds the
   * most; never `owner` itself, and never one holding fewer entries than `owner` (except that an
   * owner with standing may always make one without standing pay). Undefined: `owner` is the
   * biggest holder, so it is refused instead (it would only crowd out others).
   */
  payer(owner: string, standing: boolean): string | undefined {
    return this.payerOf(this.#shares.get(owner), standing)?.owner
  }

  /**
   * {@link add} by record: `share` is the owner's record ({@link find}), or a new one when the
   * owner holds nothing (a record whose count fell to 0 may be reused).
   */
  grow(share: S, standing: boolean): void {
    if (share.count === 0) {
      this.#shares.set(share.owner, share)
      share.standing = standing
      share.count = 1
      this.#class(standing).enter(share)
    } else if (standing !== share.standing) {
      this.#class(share.standing).leave(share)
      share.standing = standing
      share.count++
      this.#class(standing).enter(share)
    } else {
      this.#class(standing).step(share, true)
      share.count++
    }
  }

  /** {@link remove} by record: `share` is a counted owner's record. */
  shrink(share: S): void {
    const group = this.#class(share.standing)
    if (share.count > 1) {
      group.step(share, false)
      share.count--
    } else {
      group.leave(share)
      this.#shares.delete(share.owner)
      share.count = 0
    }
  }

  /** {@link payer} by record (`share` undefined: the owner holds nothing). */
  payerOf(share: S | undefined, standing: boolean): S | undefined {
    const mine = share?.count ?? 0
    const rest = this.#rest.top(share)
    if (rest !== undefined && (standing || rest.count >= mine)) return rest as S
    const known = this.#known.top(share)
    if (known !== undefined && known.count >= mine) return known as S
    return undefined
  }

  #class(standing: boolean): CountBuckets {
    return standing ? this.#known : this.#rest
  }
}
