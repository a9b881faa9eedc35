/**
 * How much a nara answers (issue 10, amplification): a token bucket for the howdys it sends
 * (`burst` at once, then one per `everyMs`), and at most one answer per newcomer per howdy window
 * however often that name says hey_there. A flood of fresh names therefore costs this nara at
 * most `burst` howdys and then one per `everyMs`, never one per hey_there.
 */
import type { Clock } from './clock.js'

/**
 * Default burst: a nara's share of answering its whole neighbourhood joining at once (each join
 * wants 10 answers from N naras: 10 / N each, N times). Default refill: one per 10 s.
 */
export const HOWDY_BURST = 10
export const HOWDY_EVERY_MS = 10_000

export interface HowdyBudgetOptions {
  clock: Clock
  /** Howdys that may go out at once (default 10: a whole neighbourhood joining at once). */
  burst?: number
  /** One more howdy allowed per this many ms (default 10 000). */
  everyMs?: number
  /** One answer per newcomer within this many ms (the howdy window, default 30 000). */
  perNameMs?: number
  /** Most newcomers remembered for the per-name rule (default 4096; the oldest are forgotten). */
  maxNames?: number
}

export interface HowdyBudget {
  /** Whether `to` was answered within the per-name window. */
  answeredRecently(to: string): boolean
  /** Whether an answer to `to` is allowed now (takes nothing). */
  allows(to: string): boolean
  /** Takes a token and records the answer to `to`; false (and nothing taken) when not allowed. */
  take(to: string): boolean
  /** Answers refused so far by the budget. */
  refused(): number
  /** Whole answers available now. */
  tokens(): number
}

export function createHowdyBudget(o: HowdyBudgetOptions): HowdyBudget {
  const burst = o.burst ?? HOWDY_BURST
  const everyMs = o.everyMs ?? HOWDY_EVERY_MS
  const perNameMs = o.perNameMs ?? 30_000
  const maxNames = o.maxNames ?? 4096
  let tokens = burst
  let refilledAt = o.clock.now()
  let refusedCount = 0
  /** Newcomer -> when it was last answered, oldest first. */
  const answered = new Map<string, number>()

  const refill = (now: number) => {
    if (tokens >= burst) {
      refilledAt = now
      return
    }
    const gained = Math.floor((now - refilledAt) / everyMs)
    if (gained <= 0) return
    tokens = Math.min(burst, tokens + gained)
    refilledAt = tokens >= burst ? now : refilledAt + gained * everyMs
  }
  const recentlyAnswered = (to: string, now: number) => {
    const at = answered.get(to)
    return at !== undefined && now - at < perNameMs
  }
  const allows = (to: string) => {
    const now = o.clock.now()
    refill(now)
    return tokens >= 1 && !recentlyAnswered(to, now)
  }
  return {
    answeredRecently: (to) => recentlyAnswered(to, o.clock.now()),
    allows,
    take(to) {
      if (!allows(to)) {
        refusedCount += 1
        return false
      }
      tokens -= 1
      answered.delete(to)
      answered.set(to, o.clock.now())
      if (answered.size > maxNames) answered.delete(answered.keys().next().value as string)
      return true
    },
    refused: () => refusedCount,
    tokens() {
      refill(o.clock.now())
      return tokens
    },
  }
}
