/** An opaque timer handle returned by {@link Clock.setTimeout}. */
export type TimerHandle = unknown

/**
 * Time source and scheduler. The plaza never touches `Date.now` or the global timers directly,
 * so tests can drive time with `createManualClock` from `@nara/plaza/testing`.
 */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number
  /** Runs `fn` once after `delayMs` milliseconds. */
  setTimeout(fn: () => void, delayMs: number): TimerHandle
  /** Cancels a pending timer; a no-op for fired or unknown handles. */
  clearTimeout(handle: TimerHandle): void
}

/** The real clock: `Date.now` and the global timers. */
export const systemClock: Clock = {
  now: () => Date.now(),
  setTimeout: (fn, delayMs) => globalThis.setTimeout(fn, delayMs),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as ReturnType<typeof setTimeout>),
}
