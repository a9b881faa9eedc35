/**
 * Who holds how many entries of a bounded memory, in two classes (owners with standing, and the
 * rest), with the owner holding the most of a class found in O(1): counts only move by one, so
 * owners are grouped by count and the largest count is tracked.
 */

/** The owners of one class, grouped by how many entries each holds. */
class ByCount {
  readonly #owners = new Map<number, Set<string>>()
  #max = 0

  /** An owner holding the most entries of this class other than `not` (undefined if none). */
  top(not: string | undefined): { owner: string; count: number } | undefined {
    const owners = this.#owners.get(this.#max)
    if (owners === undefined) return undefined
    for (const owner of owners) if (owner !== not) return { owner, count: this.#max }
    // `not` alone holds the most: the next largest count (rare: only an owner with standing that
    // is still classed without it asks this of its own class).
    const below = this.#nextBelow(this.#max)
    const next = this.#owners.get(below)?.values().next()
    return next === undefined || next.done === true
      ? undefined
      : { owner: next.value, count: below }
  }

  /**
   * Moves `owner` from count `from` to `to` (0 = absent). The new count is filed first, so when
   * the old one empties at the top the next largest is found at once (`to` itself, counts move by
   * one), not by scanning down from a count of thousands.
   */
  move(owner: string, from: number, to: number): void {
    const fromSet = from > 0 ? this.#owners.get(from) : undefined
    if (to > 0 && fromSet?.size === 1 && !this.#owners.has(to)) {
      // The owner is alone at its count (a busy sender at the top): its set moves with it.
      this.#owners.delete(from)
      this.#owners.set(to, fromSet)
      if (to > this.#max) this.#max = to
      else if (from === this.#max) this.#max = this.#nextBelow(from)
      return
    }
    if (to > 0) {
      let set = this.#owners.get(to)
      if (set === undefined) {
        set = new Set()
        this.#owners.set(to, set)
      }
      set.add(owner)
      if (to > this.#max) this.#max = to
    }
    if (from > 0) {
      const set = this.#owners.get(from) as Set<string>
      set.delete(owner)
      if (set.size === 0) {
        this.#owners.delete(from)
        if (from === this.#max) this.#max = this.#nextBelow(from)
      }
    }
  }

  /** The largest count below `count` that has owners (0 when none). */
  #nextBelow(count: number): number {
    for (let c = count - 1; c > 0; c--) if (this.#owners.has(c)) return c
    return 0
  }
}

/** Entries per owner, and the owner that pays when the memory is full. */
export class OwnerShares {
  readonly #count = new Map<string, number>()
  readonly #standing = new Set<string>()
  readonly #rest = new ByCount()
  readonly #known = new ByCount()

  /** Owners holding at least one entry. */
  get owners(): number {
    return this.#count.size
  }

  /** Entries `owner` holds. */
  of(owner: string): number {
    return this.#count.get(owner) ?? 0
  }

  #group(owner: string): ByCount {
    return this.#standing.has(owner) ? this.#known : this.#rest
  }

  /** `owner` holds one more entry; `standing` (re)classes it. */
  add(owner: string, standing: boolean): void {
    const count = this.of(owner)
    if (count > 0 && standing !== this.#standing.has(owner)) {
      this.#group(owner).move(owner, count, 0)
      if (standing) this.#standing.add(owner)
      else this.#standing.delete(owner)
      this.#group(owner).move(owner, 0, count)
    } else if (count === 0 && standing) this.#standing.add(owner)
    this.#group(owner).move(owner, count, count + 1)
    this.#count.set(owner, count + 1)
  }

  /** `owner` holds one entry less. */
  remove(owner: string): void {
    const count = this.of(owner)
    if (count === 0) return
    this.#group(owner).move(owner, count, count - 1)
    if (count === 1) {
      this.#count.delete(owner)
      this.#standing.delete(owner)
    } else this.#count.set(owner, count - 1)
  }

  /**
   * Who forgets an entry so that `owner` (with standing or not) can add one to a full memory:
   * the owner without standing that holds the most, then the owner with standing that holds the
   * most; never `owner` itself, and never one holding fewer entries than `owner` (except that an
   * owner with standing may always make one without standing pay). Undefined: `owner` is the
   * biggest holder, so it is refused instead (it would only crowd out others).
   */
  payer(owner: string, standing: boolean): string | undefined {
    const mine = this.of(owner)
    const rest = this.#rest.top(owner)
    if (rest !== undefined && (standing || rest.count >= mine)) return rest.owner
    const known = this.#known.top(owner)
    if (known !== undefined && known.count >= mine) return known.owner
    return undefined
  }
}
