import type { Clock, Random, TimerHandle } from '../../src/clock.js'

interface Pending {
  id: number
  at: number
  fn: () => void
}

/** A deterministic clock: timers fire only when the test calls `advance`. */
export interface FakeClock extends Clock {
  advance(ms: number): void
  pending(): number
}

export function fakeClock(startMs = 1_768_774_453_000): FakeClock {
  let now = startMs
  let nextId = 1
  const timers = new Map<number, Pending>()
  return {
    now: () => now,
    setTimeout(fn, delayMs) {
      const id = nextId++
      timers.set(id, { id, at: now + Math.max(0, delayMs), fn })
      return { id } as unknown as TimerHandle
    },
    clearTimeout(handle) {
      timers.delete((handle as unknown as { id: number }).id)
    },
    advance(ms) {
      const target = now + ms
      for (;;) {
        let next: Pending | undefined
        for (const t of timers.values()) {
          if (t.at <= target && (!next || t.at < next.at || (t.at === next.at && t.id < next.id))) {
            next = t
          }
        }
        if (!next) break
        timers.delete(next.id)
        now = next.at
        next.fn()
      }
      now = target
    },
    pending: () => timers.size,
  }
}

/** Returns the scripted values in order, then repeats the last one. */
export function scriptedRandom(...values: number[]): Random {
  let i = 0
  return () => {
    const v = values[Math.min(i, values.length - 1)] ?? 0
    i++
    return v
  }
}
