/**
 * The newspaper loop (WIRE.md §6.4, §7.3): one newspaper right after the join hey_there, then
 * one per period, the period re-evaluated before every wait (no jitter, as in Go).
 */
import type { Clock, TimerHandle } from './clock.js'

export interface NewspaperSchedulerOptions {
  clock: Clock
  /** Seconds until the next newspaper; read before every wait. */
  periodS: () => number
  publish: () => void
}

export interface NewspaperScheduler {
  /** Publishes now and schedules the next ones. */
  start(): void
  stop(): void
  /** Time of the next newspaper (ms since epoch), or undefined when stopped. */
  nextAtMs(): number | undefined
}

export function createNewspaperScheduler(options: NewspaperSchedulerOptions): NewspaperScheduler {
  const { clock, periodS, publish } = options
  let timer: TimerHandle | undefined
  let nextAt: number | undefined
  let running = false

  const schedule = () => {
    if (!running) return
    const delayMs = Math.max(1, periodS()) * 1000
    nextAt = clock.now() + delayMs
    timer = clock.setTimeout(tick, delayMs)
  }
  const tick = () => {
    timer = undefined
    if (!running) return
    publish()
    schedule()
  }

  return {
    start() {
      if (running) return
      running = true
      tick()
    },
    stop() {
      running = false
      if (timer) clock.clearTimeout(timer)
      timer = undefined
      nextAt = undefined
    },
    nextAtMs: () => nextAt,
  }
}
