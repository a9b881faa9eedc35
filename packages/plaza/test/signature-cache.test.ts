import { type Ed25519Backend, fastestBackend } from '@nara/crypto'
import { describe, expect, it } from 'vitest'
import { createSignatureCache } from '../src/signature-cache.js'

const real = fastestBackend()
const seed = new Uint8Array(32).fill(7)
const publicKey = real.publicKey(seed)
const bytes = (text: string) => new TextEncoder().encode(text)

/** The real backend, counting its verify calls. */
function counting(): Ed25519Backend & { calls: number } {
  const b = {
    calls: 0,
    name: real.name,
    sha256: real.sha256,
    sign: (m: Uint8Array, s: Uint8Array) => real.sign(m, s),
    publicKey: (s: Uint8Array) => real.publicKey(s),
    verify(sig: Uint8Array, m: Uint8Array, k: Uint8Array) {
      b.calls += 1
      return real.verify(sig, m, k)
    },
  }
  return b
}

describe('signature cache', () => {
  it('verifies the same bytes once for every plaza sharing it', () => {
    const backend = counting()
    const cache = createSignatureCache()
    const message = bytes('newspaper status bytes')
    const signature = real.sign(message, seed)
    const a = cache.wrap(backend)
    const b = cache.wrap(backend)
    expect(a.verify(signature, message, publicKey)).toBe(true)
    // Another copy of the same bytes, as a second MQTT connection would deliver them.
    expect(b.verify(signature.slice(), message.slice(), publicKey.slice())).toBe(true)
    expect(backend.calls).toBe(1)
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 1 })
  })

  it('never reuses a result for other bytes under the same key and signature', () => {
    const backend = counting()
    const cache = createSignatureCache()
    const message = bytes('genuine')
    const signature = real.sign(message, seed)
    expect(cache.verify(backend, signature, bytes('forged!'), publicKey)).toBe(false)
    expect(cache.verify(backend, signature, message, publicKey)).toBe(true)
    expect(cache.verify(backend, signature, bytes('forged!'), publicKey)).toBe(false)
    expect(backend.calls).toBe(3)
  })

  it('answers a repeat of the last check from copies: a caller rewriting its buffers gets a fresh check', () => {
    const backend = counting()
    const cache = createSignatureCache()
    const message = bytes('the last message')
    const signature = real.sign(message, seed)
    expect(cache.verify(backend, signature, message, publicKey)).toBe(true)
    expect(cache.verify(backend, signature, message, publicKey)).toBe(true)
    expect(backend.calls).toBe(1)
    message[0] = 'T'.charCodeAt(0) // same Buffer, other bytes
    expect(cache.verify(backend, signature, message, publicKey)).toBe(false)
    expect(backend.calls).toBe(2)
    expect(cache.stats()).toMatchObject({ hits: 1, misses: 2 })
  })

  it('remembers failed checks too, and forgets the least recently used beyond maxEntries', () => {
    const backend = counting()
    const cache = createSignatureCache({ maxEntries: 2 })
    const bad = new Uint8Array(64)
    expect(cache.verify(backend, bad, bytes('x'), publicKey)).toBe(false)
    expect(cache.verify(backend, bad, bytes('x'), publicKey)).toBe(false)
    expect(backend.calls).toBe(1)
    for (const text of ['one', 'two']) {
      const m = bytes(text)
      cache.verify(backend, real.sign(m, seed), m, publicKey)
    }
    expect(cache.stats().size).toBe(2)
    expect(cache.verify(backend, bad, bytes('x'), publicKey)).toBe(false)
    expect(backend.calls).toBe(4)
  })

  it('keeps its own copy of the signed bytes', () => {
    const backend = counting()
    const cache = createSignatureCache()
    const message = bytes('mutable buffer')
    const signature = real.sign(message, seed)
    expect(cache.verify(backend, signature, message, publicKey)).toBe(true)
    message[0] = 0
    expect(cache.verify(backend, signature, message, publicKey)).toBe(false)
  })

  it('refuses a size that is not a positive integer', () => {
    expect(() => createSignatureCache({ maxEntries: 0 })).toThrow(RangeError)
  })
})
