/**
 * A first-in first-out queue of a memory's entries with lazy deletion: an entry forgotten out of
 * order only has its `live` flag cleared and stays queued (stale) until it reaches the head or the
 * queue is compacted. The head is always live (or the queue is empty), so the oldest entry is
 * read in O(1). Stale entries never outnumber live ones (the queue compacts first), and the
 * consumed prefix (cleared slots) never outgrows the rest (the array then shifts), so a queue of
 * n live entries holds at most 4n slots and n stale entries. Every operation is amortised O(1).
 */

/** An entry a queue holds: live until its memory forgets it (then it never comes back). */
export interface Queued {
  live: boolean
}

export class EntryQueue<E extends Queued> {
  /** Consumed (cleared) slots, then the head, then newer entries (live or stale). */
  #items: (E | undefined)[] = []
  /** Index of the oldest live entry (`#items.length` when none). */
  #head = 0
  /** Forgotten entries still queued after the head. */
  #stale = 0

  /** Live entries queued. */
  get size(): number {
    return this.#items.length - this.#head - this.#stale
  }

  /** Slots the array holds beyond the live entries (consumed, and stale). */
  get slack(): number {
    return this.#head + this.#stale
  }

  /** The oldest live entry. */
  first(): E | undefined {
    return this.#items[this.#head]
  }

  /** Queues `entry` (live) as the newest. */
  push(entry: E): void {
    this.#items.push(entry)
  }

  /** `entry`, queued here, was just forgotten (its `live` flag already cleared). */
  forgot(entry: E): void {
    const items = this.#items
    let head = this.#head
    if (items[head] === entry) {
      items[head++] = undefined
      while (head < items.length && !(items[head] as E).live) {
        items[head++] = undefined
        this.#stale--
      }
      this.#head = head
    } else this.#stale++
    if (this.#stale > this.size) this.#compact()
    else if (head === items.length) {
      items.length = 0
      this.#head = 0
    } else if (2 * head > items.length) {
      items.copyWithin(0, head)
      items.length -= head
      this.#head = 0
    }
  }

  /** Drops every stale slot, keeping the live entries in order. */
  #compact(): void {
    const items = this.#items
    let kept = 0
    for (let i = this.#head; i < items.length; i++) {
      const entry = items[i] as E
      if (entry.live) items[kept++] = entry
    }
    items.length = kept
    this.#head = 0
    this.#stale = 0
  }
}
