import type { Clock, TimerHandle } from './clock.js'
import { type RandomSource, uniformMs } from './random.js'

/** Options of {@link createJoinJitter}. */
export interface JoinJitterOptions {
  clock: Clock
  random: RandomSource
  /** Upper bound (exclusive) of the delay, in ms. Default 5000 (Go: uniform 0..4999 ms). */
  maxMs?: number
}

/** Delays the post-connect `hey_there` by a uniform random 0..maxMs (WIRE.md §1.3). */
export interface JoinJitter {
  /** Schedules `fn` after a fresh random delay, cancelling any pending one. Returns the delay (ms). */
  schedule(fn: () => void): number
  /** Cancels the pending call, if any (e.g. the connection dropped first). */
  cancel(): void
  /** True while a call is pending. */
  readonly pending: boolean
}

export function createJoinJitter(options: JoinJitterOptions): JoinJitter {
  const maxMs = options.maxMs ?? 5000
  let handle: TimerHandle | undefined
  const cancel = (): void => {
    if (handle !== undefined) options.clock.clearTimeout(handle)
    handle = undefined
  }
  return {
    schedule(fn) {
      cancel()
      const delayMs = uniformMs(options.random, 0, maxMs)
      handle = options.clock.setTimeout(() => {
        handle = undefined
        fn()
      }, delayMs)
      return delayMs
    },
    cancel,
    get pending() {
      return handle !== undefined
    },
  }
}
