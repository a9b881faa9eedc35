/**
 * Time and randomness as injected collaborators, so every timing rule can be tested with a
 * fake clock and scripted random numbers instead of real sleeps.
 */

/** Opaque handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = { readonly __timer: unique symbol } | object

export interface Clock {
  /** Wall-clock time in milliseconds since the Unix epoch. */
  now(): number
  /** Runs `fn` once after `delayMs` milliseconds. */
  setTimeout(fn: () => void, delayMs: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/** A uniform random number in [0, 1). */
export type Random = () => number

/** Uniform integer in [0, maxExclusive). */
export function randomInt(random: Random, maxExclusive: number): number {
  if (maxExclusive <= 0) return 0
  return Math.min(maxExclusive - 1, Math.floor(random() * maxExclusive))
}

export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, delayMs) => {
    const t = setTimeout(fn, delayMs)
    t.unref?.()
    return t
  },
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
}
