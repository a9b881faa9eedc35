/** Slab copies: each a copy of its own range, never aliasing the source or another copy. */
import { describe, expect, it } from 'vitest'
import { copyOf } from '../src/slab-copy.js'

const source = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff)

describe('copyOf', () => {
  it('copies the range, and later writes to the source or other copies do not show', () => {
    const copies: { bytes: Uint8Array; expected: number[] }[] = []
    // Enough copies to fill several slabs, of sizes around the alignment and the slab limit.
    for (let i = 0; i < 200; i++) {
      const n = [1, 7, 8, 9, 1250, 4096, 4097, 9000][i % 8] as number
      const src = source(n + 20, i)
      const bytes = copyOf(src, 10, 10 + n)
      copies.push({ bytes, expected: [...src.subarray(10, 10 + n)] })
      src.fill(0)
    }
    for (const { bytes, expected } of copies) expect([...bytes]).toEqual(expected)
  })

  it('copies from a view at an offset (a socket read cut into payloads)', () => {
    const read = source(64, 3)
    const payload = read.subarray(16, 48)
    const bytes = copyOf(payload, 4, 12)
    expect([...bytes]).toEqual([...read.subarray(20, 28)])
    expect(bytes.buffer).not.toBe(read.buffer)
  })

  it('gives a large copy a buffer of its own', () => {
    const bytes = copyOf(source(5000, 1), 0, 5000)
    expect(bytes.buffer.byteLength).toBe(5000)
  })
})
