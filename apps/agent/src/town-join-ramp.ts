/**
 * A town's join ramp: large towns start their naras some ms apart so that the howdy rounds do not
 * all overlap. One timer at a time, on the clock; `cancel()` ends the ramp early.
 */
import type { Agent } from './agent.js'
import type { Clock, TimerHandle } from './clock.js'

/** Gap between two naras' starts, ms: the given one, else 100 ms above 20 naras, 0 otherwise. */
export function joinRampGapMs(size: number, givenMs: number | undefined): number {
  return givenMs ?? (size > 20 ? 100 : 0)
}

export interface JoinRamp {
  /**
   * Starts `agents` in order, `gapMs` apart, until `cancelled()` says to stop; resolves once the
   * last start was called, with their promises.
   */
  run(agents: readonly Agent[], gapMs: number, cancelled: () => boolean): Promise<Promise<void>[]>
  /** Cancels the pending step of the ramp and wakes it (it then checks `cancelled()`). */
  cancel(): void
}

export function joinRamp(clock: Clock): JoinRamp {
  /** The pending step of the ramp. */
  let pending: { timer: TimerHandle; wake: () => void } | undefined
  return {
    async run(agents, gapMs, cancelled) {
      const starts: Promise<void>[] = []
      for (const [i, a] of agents.entries()) {
        if (cancelled()) break
        if (gapMs && i > 0) {
          await new Promise<void>((wake) => {
            pending = { timer: clock.setTimeout(wake, gapMs), wake }
          })
          pending = undefined
          if (cancelled()) break
        }
        starts.push(a.start())
      }
      return starts
    },
    cancel() {
      if (pending) {
        clock.clearTimeout(pending.timer)
        pending.wake()
      }
    },
  }
}
