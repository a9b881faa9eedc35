import { describe, expect, it } from 'vitest'
import { formatRttGo } from './helpers/public-api.js'

describe('formatRttGo (Go %.1f)', () => {
  it.each([
    [12.25, '12.2'], // exact tie → even
    [0.25, '0.2'], // exact tie → even
    [0.75, '0.8'], // exact tie → even (8)
    [12.345, '12.3'],
    [12.35, '12.3'], // 12.35 is 12.3499999… in binary
    [0.05, '0.1'], // 0.05000000000000000277…
    [0.15, '0.1'], // 0.1499999999999999944…
    [2.5, '2.5'],
    [99.95, '100.0'],
    [150, '150.0'],
    [0, '0.0'],
    [-0, '-0.0'],
    [-0.01, '-0.0'],
    [-12.25, '-12.2'],
    [1e21, '1000000000000000000000.0'],
    [5e-324, '0.0'],
  ])('%s → %s', (input, expected) => {
    expect(formatRttGo(input)).toBe(expected)
  })

  it('differs from toFixed exactly on ties', () => {
    expect((12.25).toFixed(1)).toBe('12.3')
    expect(formatRttGo(12.25)).toBe('12.2')
  })

  it('prints Go spellings of non-finite values', () => {
    expect(formatRttGo(Number.NaN)).toBe('NaN')
    expect(formatRttGo(Number.POSITIVE_INFINITY)).toBe('+Inf')
    expect(formatRttGo(Number.NEGATIVE_INFINITY)).toBe('-Inf')
  })
})
