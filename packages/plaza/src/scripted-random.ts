import type { RandomSource } from './random.js'

/** A {@link RandomSource} that returns scripted values; more can be queued with `push`. */
export interface ScriptedRandom extends RandomSource {
  /** Queues more values, returned after the ones still waiting. */
  push(...values: number[]): void
}

/**
 * A random source that returns `values` in turn, then repeats the last one returned (0.5 when
 * none was ever given). Each value must be in [0, 1), like `Math.random`.
 */
export function scriptedRandom(values: readonly number[] = []): ScriptedRandom {
  const queue = [...values]
  let last = values[values.length - 1] ?? 0.5
  const next = (() => {
    const v = queue.shift()
    if (v !== undefined) last = v
    return last
  }) as ScriptedRandom
  next.push = (...more) => {
    queue.push(...more)
  }
  return next
}
