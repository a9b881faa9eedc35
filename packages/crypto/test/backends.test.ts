/** One compliance suite, run against every backend (noble, node, sodium). */
import { describe, expect, it } from 'vitest'
import {
  availableBackends,
  fastestBackend,
  getBackend,
  loadSodiumBackend,
  nobleBackend,
} from '../src/index.js'

const seed = new Uint8Array(32).fill(1)
const message = new TextEncoder().encode('howdy:bob:alice:1')

describe('backend selection', () => {
  it('has all three here, fastest is sodium', () => {
    expect(availableBackends().map((b) => b.name)).toEqual(['noble', 'node', 'sodium'])
    expect(loadSodiumBackend()).not.toBeNull()
    expect(fastestBackend().name).toBe('sodium')
    expect(getBackend('node').name).toBe('node')
  })
})

describe.each(availableBackends().map((b) => [b.name, b] as const))('%s', (_name, backend) => {
  const publicKey = backend.publicKey(seed)

  it('signs exactly like noble (deterministic Ed25519) and verifies', () => {
    const sig = backend.sign(message, seed)
    expect(sig).toEqual(nobleBackend.sign(message, seed))
    expect(backend.verify(sig, message, publicKey)).toBe(true)
    expect(publicKey).toEqual(nobleBackend.publicKey(seed))
  })

  it('returns false (never throws) for a wrong signature, message or key', () => {
    const sig = backend.sign(message, seed)
    const flipped = Uint8Array.from(sig)
    flipped[5] = (flipped[5] ?? 0) ^ 1
    expect(backend.verify(flipped, message, publicKey)).toBe(false)
    expect(backend.verify(sig, new TextEncoder().encode('howdy:bob:alice:2'), publicKey)).toBe(
      false,
    )
    expect(backend.verify(sig, message, backend.publicKey(new Uint8Array(32).fill(2)))).toBe(false)
    // Not a curve point / small order: false, not an exception.
    expect(backend.verify(sig, message, new Uint8Array(32).fill(0xff))).toBe(false)
    expect(backend.verify(sig, message, new Uint8Array(32))).toBe(false)
  })

  it('throws a typed error on misuse', () => {
    const sig = backend.sign(message, seed)
    const cases: Array<[() => unknown, string]> = [
      [() => backend.sign(message, new Uint8Array(31)), 'InvalidSeedError'],
      [() => backend.sign('text' as unknown as Uint8Array, seed), 'InvalidInputTypeError'],
      [
        () => backend.verify(sig.subarray(0, 63), message, publicKey),
        'InvalidSignatureLengthError',
      ],
      [() => backend.verify(sig, message, publicKey.subarray(0, 31)), 'InvalidPublicKeyError'],
      [() => backend.verify(sig, 'x' as unknown as Uint8Array, publicKey), 'InvalidInputTypeError'],
      [
        () => backend.verify([...sig] as unknown as Uint8Array, message, publicKey),
        'InvalidInputTypeError',
      ],
      [() => backend.publicKey(new Uint8Array(33)), 'InvalidSeedError'],
    ]
    for (const [fn, name] of cases) expect(fn).toThrow(expect.objectContaining({ name }))
  })

  it('never signs with a stale cached key after the seed array is mutated', () => {
    const mutable = Uint8Array.from(seed)
    const first = backend.sign(message, mutable)
    mutable[0] = 9
    const second = backend.sign(message, mutable)
    expect(second).not.toEqual(first)
    expect(second).toEqual(nobleBackend.sign(message, Uint8Array.from(mutable)))
  })

  it('verifies with many distinct sender keys (bounded key cache)', () => {
    for (let i = 0; i < 50; i++) {
      const s = new Uint8Array(32).fill(i)
      expect(backend.verify(backend.sign(message, s), message, backend.publicKey(s))).toBe(true)
    }
  })
})
