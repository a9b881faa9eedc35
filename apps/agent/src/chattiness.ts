/**
 * Chattiness and the newspaper period (WIRE.md §7.3).
 *
 * `period(s) = 30 + floor(270 * (100 - chattiness) / 100)`, integer maths, 30..300 s.
 */

export const MIN_NEWSPAPER_PERIOD_S = 30
export const MAX_NEWSPAPER_PERIOD_S = 300

/** Newspaper period in seconds for a chattiness of 0..100 (clamped). */
export function newspaperPeriodS(chattiness: number): number {
  const c = Math.max(0, Math.min(100, Math.trunc(chattiness)))
  return MIN_NEWSPAPER_PERIOD_S + Math.floor((270 * (100 - c)) / 100)
}

export interface ChattinessInputs {
  /** `NARA_CHATTINESS` (0..100), or undefined for automatic. */
  forced: number | undefined
  /** Own local buzz, 0..182. */
  localBuzz: number
  /** Buzz values of ONLINE peers as seen in their statuses. */
  peerBuzz: readonly number[]
  /** Own last published buzz. */
  ownPublishedBuzz: number
  /** 1-minute load average divided by the CPU count. */
  loadPerCpu: number
  /** True during the first 120 s of uptime. */
  booting: boolean
}

/** `weightedBuzz = floor(0.5 local) + floor(0.2 avgOnline) + floor(0.3 highest)`, max 182. */
export function weightedBuzz(
  localBuzz: number,
  peerBuzz: readonly number[],
  ownPublishedBuzz: number,
): number {
  const avg =
    peerBuzz.length === 0 ? 0 : Math.trunc(peerBuzz.reduce((a, b) => a + b, 0) / peerBuzz.length)
  const highest = Math.max(ownPublishedBuzz, ...peerBuzz)
  return Math.min(
    182,
    Math.floor(0.5 * localBuzz) + Math.floor(0.2 * avg) + Math.floor(0.3 * highest),
  )
}

/** The chattiness rule of §7.3, recomputed by Go every 5 s. */
export function computeChattiness(inputs: ChattinessInputs): number {
  if (inputs.booting) return 100
  let c = weightedBuzz(inputs.localBuzz, inputs.peerBuzz, inputs.ownPublishedBuzz)
  if (inputs.forced !== undefined) c = inputs.forced
  else if (inputs.loadPerCpu < 1) c += Math.floor((1 - inputs.loadPerCpu) * 20)
  return Math.max(0, Math.min(100, c))
}

/** Local buzz: starts at 100, decays by 30 every 10 s, +n on events, clamped to 0..182. */
export interface Buzz {
  value(): number
  bump(amount: number): void
}

export function createBuzz(nowMs: () => number, start = 100): Buzz {
  let value = start
  let last = nowMs()
  const decay = () => {
    const steps = Math.floor((nowMs() - last) / 10_000)
    if (steps > 0) {
      value = Math.max(0, value - 30 * steps)
      last += steps * 10_000
    }
  }
  return {
    value() {
      decay()
      return value
    },
    bump(amount) {
      decay()
      value = Math.max(0, Math.min(182, value + amount))
    },
  }
}
