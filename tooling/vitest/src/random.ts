/**
 * A deterministic xorshift32 source of numbers in [0, 1), so a randomized test (split points,
 * mutations) fails the same way again from its seed.
 */
export function seededRandom(seed: number): () => number {
  let x = seed | 0 || 1
  return () => {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    return (x >>> 0) / 2 ** 32
  }
}
