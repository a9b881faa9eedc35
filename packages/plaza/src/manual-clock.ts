import type { Clock } from './clock.js'

/** A pending timer of a {@link ManualClock}. */
export interface PendingTimer {
  readonly id: number
  /** The delay it was scheduled with, in ms. */
  readonly delayMs: number
  /** Clock time (ms) at which it fires. */
  readonly dueAtMs: number
}

/** A clock that only moves when told to. For tests. */
export interface ManualClock extends Clock {
  /** Timers not yet fired, earliest first. */
  pending(): PendingTimer[]
  /** Moves time forward by `ms`, firing every timer that falls due, in order. */
  advance(ms: number): void
  /** Jumps to the earliest pending timer and fires it. Returns it, or undefined if none. */
  runNext(): PendingTimer | undefined
  /** Sets the wall time without firing anything (e.g. to test freshness windows). */
  setNow(ms: number): void
}

/** Creates a {@link ManualClock} starting at `startMs` (default 1 768 774 453 000). */
export function createManualClock(startMs = 1_768_774_453_000): ManualClock {
  let now = startMs
  let nextId = 1
  const timers = new Map<number, { fn: () => void; delayMs: number; dueAtMs: number }>()
  const sorted = (): PendingTimer[] =>
    [...timers.entries()]
      .map(([id, t]) => ({ id, delayMs: t.delayMs, dueAtMs: t.dueAtMs }))
      .sort((a, b) => a.dueAtMs - b.dueAtMs || a.id - b.id)
  const fire = (timer: PendingTimer): void => {
    const entry = timers.get(timer.id)
    if (entry === undefined) return
    timers.delete(timer.id)
    entry.fn()
  }
  return {
    now: () => now,
    setTimeout(fn, delayMs) {
      const id = nextId++
      const ms = Math.max(0, delayMs)
      timers.set(id, { fn, delayMs: ms, dueAtMs: now + ms })
      return id
    },
    clearTimeout(handle) {
      if (typeof handle === 'number') timers.delete(handle)
    },
    pending: sorted,
    advance(ms) {
      const target = now + ms
      for (;;) {
        const next = sorted()[0]
        if (next === undefined || next.dueAtMs > target) break
        now = Math.max(now, next.dueAtMs)
        fire(next)
      }
      now = target
    },
    runNext() {
      const next = sorted()[0]
      if (next === undefined) return undefined
      now = Math.max(now, next.dueAtMs)
      fire(next)
      return next
    },
    setNow(ms) {
      now = ms
    },
  }
}
