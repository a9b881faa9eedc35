/** Private copies: each owns a buffer of exactly its size, aliasing neither the source nor another. */
import { describe, expect, it } from 'vitest'
import { copyOf } from '../src/byte-copy.js'

const source = (n: number, seed: number) =>
  Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff)

describe('copyOf', () => {
  it('copies the range into a buffer of its own; later writes to the source do not show', () => {
    const copies: { bytes: Uint8Array; expected: number[] }[] = []
    for (let i = 0; i < 40; i++) {
      const n = [0, 1, 7, 8, 9, 1250, 4096, 9000][i % 8] as number
      const src = source(n + 20, i)
      const bytes = copyOf(src, 10, 10 + n)
      copies.push({ bytes, expected: [...src.subarray(10, 10 + n)] })
      src.fill(0)
    }
    for (const { bytes, expected } of copies) {
      expect([...bytes]).toEqual(expected)
      expect(bytes.byteOffset).toBe(0)
      expect(bytes.buffer.byteLength).toBe(bytes.length)
      expect(Buffer.isBuffer(bytes)).toBe(false)
    }
  })

  it('copies from a view at an offset (a socket read cut into payloads)', () => {
    const read = Buffer.from(source(64, 3))
    const payload = read.subarray(16, 48)
    const bytes = copyOf(payload, 4, 12)
    expect([...bytes]).toEqual([...read.subarray(20, 28)])
    expect(bytes.buffer).not.toBe(read.buffer)
  })

  it('can be transferred away without touching any other copy', () => {
    // A receiver handing its Status bytes to a worker transfers their buffer.
    const src = source(64, 5)
    const a = copyOf(src, 0, 8)
    const b = copyOf(src, 8, 16)
    const moved = structuredClone(a, { transfer: [a.buffer as ArrayBuffer] })
    expect([...moved]).toEqual([...src.subarray(0, 8)])
    expect(a.length).toBe(0)
    expect([...b]).toEqual([...src.subarray(8, 16)])
    expect([...copyOf(src, 16, 24)]).toEqual([...src.subarray(16, 24)])
  })
})
