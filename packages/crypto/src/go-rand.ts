/**
 * An exact port of Go's `math/rand` seeded source (`rand.New(rand.NewSource(seed))`, the
 * Go-1-compatible additive lagged Fibonacci generator) as far as nara uses it: `Int63`, `Int31`,
 * `Int31n` and `Intn` (WIRE §3.4). Deterministic; never use it for secrets.
 */

import { InvalidArgumentError } from './errors.js'
import { RNG_COOKED } from './go-rand-cooked.js'

const LEN = 607
const TAP = 273
const MASK63 = (1n << 63n) - 1n
const M = 2147483647 // 2^31 - 1
const A = 48271
const Q = 44488
const R = 3399

/** Park–Miller step `48271·x mod (2^31−1)` via Schrage's method (Go's `seedrand`). */
function seedrand(x: number): number {
  const hi = Math.trunc(x / Q)
  const lo = x % Q
  let next = A * lo - R * hi
  if (next < 0) next += M
  return next
}

/** Go's `math/rand` generator for one int64 seed. */
export class GoRand {
  private tap = 0
  private feed = LEN - TAP
  private readonly vec: bigint[] = new Array<bigint>(LEN)

  /** @param seed - the int64 seed, as a bigint in [-2^63, 2^63) (wider values are wrapped). */
  constructor(seed: bigint) {
    let s = BigInt.asIntN(64, seed) % BigInt(M) // Go's truncated remainder
    if (s < 0n) s += BigInt(M)
    if (s === 0n) s = 89482311n
    let x = Number(s)
    for (let i = -20; i < LEN; i++) {
      x = seedrand(x)
      if (i >= 0) {
        let u = BigInt(x) << 40n
        x = seedrand(x)
        u ^= BigInt(x) << 20n
        x = seedrand(x)
        u ^= BigInt(x)
        u ^= RNG_COOKED[i] as bigint
        this.vec[i] = u & MASK63
      }
    }
  }

  /** A non-negative pseudo-random 63-bit integer (Go `Int63`). */
  int63(): bigint {
    this.tap--
    if (this.tap < 0) this.tap += LEN
    this.feed--
    if (this.feed < 0) this.feed += LEN
    const x = ((this.vec[this.feed] as bigint) + (this.vec[this.tap] as bigint)) & MASK63
    this.vec[this.feed] = x
    return x
  }

  /** A non-negative pseudo-random 31-bit integer (Go `Int31`). */
  int31(): number {
    return Number(this.int63() >> 32n)
  }

  /** A value in [0, n) for 0 < n < 2^31 (Go `Int31n`, with its rejection loop). */
  int31n(n: number): number {
    if (!Number.isInteger(n) || n <= 0 || n > M) {
      throw new InvalidArgumentError('int31n: n must be an integer in [1, 2^31-1]')
    }
    if ((n & (n - 1)) === 0) return this.int31() & (n - 1)
    const max = M - (2147483648 % n)
    let v = this.int31()
    while (v > max) v = this.int31()
    return v % n
  }

  /** A value in [0, n) (Go `Intn`; nara only uses n < 2^31, which delegates to `Int31n`). */
  intn(n: number): number {
    return this.int31n(n)
  }
}

/** Reads the first 8 bytes of `bytes` as a big-endian signed int64 (Go `int64(BigEndian.Uint64)`). */
export function int64BigEndian(bytes: Uint8Array): bigint {
  let v = 0n
  for (let i = 0; i < 8; i++) v = (v << 8n) | BigInt(bytes[i] ?? 0)
  return BigInt.asIntN(64, v)
}
