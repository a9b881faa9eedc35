import type { Clock, TimerHandle } from './clock.js'
import { type RandomSource, uniformMs } from './random.js'

/** Options of {@link createReconnectLoop}. */
export interface ReconnectLoopOptions {
  clock: Clock
  random: RandomSource
  /** Lower bound of each wait, in ms. Default 5000. */
  minMs?: number
  /** Upper bound (exclusive) of each wait, in ms. Default 35 000. */
  maxMs?: number
  /**
   * One connection attempt. Resolves true when connected, false (or rejects) when it failed.
   * The signal aborts when the loop is stopped mid-attempt.
   */
  attempt(signal: AbortSignal): Promise<boolean>
  /** Called each time a wait is scheduled, with its delay (ms) and the attempt number to come. */
  onScheduled?(delayMs: number, attempt: number): void
  /** Called when an attempt rejects (a resolved `false` is reported by the attempt itself). */
  onAttemptError?(error: unknown): void
  /** Stops the loop for good when aborted. */
  signal?: AbortSignal
}

/**
 * The reconnect loop of WIRE.md §1.4: at most one runs; each wait is uniform in
 * [minMs, maxMs) with no growth and no attempt cap; it ends on the first successful attempt.
 */
export interface ReconnectLoop {
  /** Starts the loop unless one is already running. Returns false when it was already running. */
  start(): boolean
  /** Cancels the pending wait (and aborts a running attempt) at once. Idempotent. */
  stop(): void
  /** True from `start()` until an attempt succeeds or `stop()`. */
  readonly running: boolean
  /** Attempts made since the last `start()`. */
  readonly attempts: number
}

export function createReconnectLoop(options: ReconnectLoopOptions): ReconnectLoop {
  const minMs = options.minMs ?? 5000
  const maxMs = options.maxMs ?? 35_000
  if (!(minMs >= 0 && maxMs >= minMs)) {
    throw new RangeError(
      `reconnect bounds must satisfy 0 <= minMs <= maxMs (got ${minMs}, ${maxMs})`,
    )
  }
  let running = false
  let attempts = 0
  let timer: TimerHandle | undefined
  let current: AbortController | undefined
  // Each start() gets a generation; callbacks of an older generation do nothing.
  let generation = 0

  const scheduleNext = (gen: number): void => {
    if (gen !== generation || !running) return
    const delayMs = uniformMs(options.random, minMs, maxMs)
    timer = options.clock.setTimeout(() => {
      timer = undefined
      void runAttempt(gen)
    }, delayMs)
    options.onScheduled?.(delayMs, attempts + 1)
  }

  const runAttempt = async (gen: number): Promise<void> => {
    if (gen !== generation || !running) return
    attempts += 1
    const controller = new AbortController()
    current = controller
    let ok = false
    try {
      ok = await options.attempt(controller.signal)
    } catch (error) {
      try {
        options.onAttemptError?.(error)
      } catch {
        // a reporting hook must not break the loop
      }
    }
    if (current === controller) current = undefined
    if (gen !== generation || !running) return
    if (ok) {
      running = false
      return
    }
    scheduleNext(gen)
  }

  const stop = (): void => {
    generation += 1
    running = false
    if (timer !== undefined) options.clock.clearTimeout(timer)
    timer = undefined
    current?.abort()
    current = undefined
  }
  options.signal?.addEventListener('abort', stop, { once: true })

  return {
    start() {
      if (running || options.signal?.aborted === true) return false
      running = true
      attempts = 0
      generation += 1
      scheduleNext(generation)
      return true
    },
    stop,
    get running() {
      return running
    },
    get attempts() {
      return attempts
    },
  }
}
