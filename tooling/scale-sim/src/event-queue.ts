/** A binary min-heap of timed events: `pop()` returns the earliest (ties in insertion order). */
export interface EventQueue<T> {
  push(atS: number, event: T): void
  pop(): { atS: number; event: T } | undefined
  readonly size: number
}

export function createEventQueue<T>(): EventQueue<T> {
  const times: number[] = []
  const seqs: number[] = []
  const events: T[] = []
  let seq = 0
  const before = (a: number, b: number) =>
    (times[a] as number) < (times[b] as number) ||
    (times[a] === times[b] && (seqs[a] as number) < (seqs[b] as number))
  const swap = (a: number, b: number) => {
    ;[times[a], times[b]] = [times[b] as number, times[a] as number]
    ;[seqs[a], seqs[b]] = [seqs[b] as number, seqs[a] as number]
    ;[events[a], events[b]] = [events[b] as T, events[a] as T]
  }
  return {
    push(atS, event) {
      times.push(atS)
      seqs.push(seq++)
      events.push(event)
      let i = times.length - 1
      while (i > 0) {
        const parent = (i - 1) >> 1
        if (!before(i, parent)) break
        swap(i, parent)
        i = parent
      }
    },
    pop() {
      if (times.length === 0) return undefined
      const top = { atS: times[0] as number, event: events[0] as T }
      const last = times.length - 1
      swap(0, last)
      times.pop()
      seqs.pop()
      events.pop()
      let i = 0
      for (;;) {
        const l = 2 * i + 1
        const r = l + 1
        let m = i
        if (l < times.length && before(l, m)) m = l
        if (r < times.length && before(r, m)) m = r
        if (m === i) break
        swap(i, m)
        i = m
      }
      return top
    },
    get size() {
      return times.length
    },
  }
}
