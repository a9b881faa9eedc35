/**
 * Go's `fmt.Sprintf("%.1f", rtt)` for the ping content string (WIRE §4.2): the EXACT binary value
 * of the double is rounded half-to-even at one decimal (12.25 → `12.2`, 0.75 → `0.8`).
 * `Number#toFixed` rounds exact ties away from zero, so it cannot be used.
 */

const F64 = new Float64Array(1)
const U64 = new BigUint64Array(F64.buffer)

/** Go `%.1f` of `rtt`, including Go's `NaN`, `+Inf`, `-Inf` and `-0.0`. */
export function formatRttGo(rtt: number): string {
  if (Number.isNaN(rtt)) return 'NaN'
  if (rtt === Number.POSITIVE_INFINITY) return '+Inf'
  if (rtt === Number.NEGATIVE_INFINITY) return '-Inf'
  F64[0] = rtt
  const bits = U64[0] as bigint
  const negative = bits >> 63n === 1n
  const biasedExp = Number((bits >> 52n) & 0x7ffn)
  const fraction = bits & ((1n << 52n) - 1n)
  // |rtt| = mantissa * 2^exp exactly.
  const mantissa = biasedExp === 0 ? fraction : fraction | (1n << 52n)
  const exp = biasedExp === 0 ? -1074 : biasedExp - 1075
  // tenths = round_half_even(|rtt| * 10)
  let tenths: bigint
  if (exp >= 0) {
    tenths = mantissa * 10n * (1n << BigInt(exp))
  } else {
    const num = mantissa * 10n
    const den = 1n << BigInt(-exp)
    tenths = num / den
    const twiceRem = (num % den) * 2n
    if (twiceRem > den || (twiceRem === den && tenths % 2n === 1n)) tenths += 1n
  }
  return `${negative ? '-' : ''}${tenths / 10n}.${tenths % 10n}`
}
