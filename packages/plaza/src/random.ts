/** A source of uniform random numbers in [0, 1), like `Math.random`. Injected for tests. */
export type RandomSource = () => number

/** `Math.random`. */
export const defaultRandom: RandomSource = () => Math.random()

/** Uniform integer in [minMs, maxMs) drawn from `random`; `maxMs <= minMs` yields `minMs`. */
export function uniformMs(random: RandomSource, minMs: number, maxMs: number): number {
  if (maxMs <= minMs) return minMs
  const r = random()
  if (!(r >= 0 && r < 1)) throw new RangeError(`random source returned ${r}, expected [0, 1)`)
  return minMs + Math.floor(r * (maxMs - minMs))
}
