import { describe, expect, it } from 'vitest'
import {
  availableBackends,
  computeEventId,
  nobleSha256,
  nodeSha256,
  sha256Of,
  syncEventDigest,
  syncEventHashes,
  toHex,
} from './helpers/public-api.js'

// FIPS 180-2 examples.
const KNOWN: Array<[string, string]> = [
  ['', 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  [
    'abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq',
    '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
  ],
]

/** Deterministic test bytes (xorshift), no randomness in tests. */
function bytes(n: number, seed: number): Uint8Array {
  const out = new Uint8Array(n)
  let x = seed | 1
  for (let i = 0; i < n; i++) {
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    out[i] = x & 0xff
  }
  return out
}

describe.each([
  ['noble', nobleSha256],
  ['node', nodeSha256],
] as const)('sha256 backend %s', (name, hash) => {
  it('has its name', () => {
    expect(hash.name).toBe(name)
  })

  it('gives the FIPS 180-2 digests for strings and bytes', () => {
    for (const [text, hex] of KNOWN) {
      expect(hash.hex(text)).toBe(hex)
      expect(toHex(hash.digest(text))).toBe(hex)
      expect(toHex(hash.digest(new TextEncoder().encode(text)))).toBe(hex)
    }
  })

  it('equals noble on every length 0..300 (block boundaries) and on a 64 KiB input', () => {
    for (let n = 0; n <= 300; n++) {
      const b = bytes(n, n + 1)
      expect(toHex(hash.digest(b))).toBe(toHex(nobleSha256.digest(b)))
      expect(hash.hex(b)).toBe(nobleSha256.hex(b))
    }
    const big = bytes(65536, 7)
    expect(hash.hex(big)).toBe(nobleSha256.hex(big))
  })

  it('hashes strings as UTF-8, like TextEncoder (emoji, accents, lone surrogates)', () => {
    for (const text of ['💎🧑‍🚀', 'café:naïve', 'a\ud800b', 'x'.repeat(1000)]) {
      const expected = toHex(nobleSha256.digest(new TextEncoder().encode(text)))
      expect(hash.hex(text)).toBe(expected)
      expect(toHex(hash.digest(text))).toBe(expected)
    }
  })

  it('returns a fresh 32-byte digest each call', () => {
    const a = hash.digest('abc')
    const b = hash.digest('abc')
    expect(a).toBeInstanceOf(Uint8Array)
    expect(a.length).toBe(32)
    expect(a).not.toBe(b)
  })
})

describe('backend SHA-256', () => {
  it('noble hashes with noble; node and sodium hash natively', () => {
    const names = Object.fromEntries(availableBackends().map((b) => [b.name, sha256Of(b).name]))
    expect(names).toEqual({ noble: 'noble', node: 'node', sodium: 'node' })
  })

  it('falls back to noble for a backend without sha256', () => {
    const [noble] = availableBackends()
    if (noble === undefined) throw new Error('no backend')
    const { sha256: _drop, ...custom } = noble
    expect(sha256Of(custom).name).toBe('noble')
  })
})

describe('syncEventHashes', () => {
  const ev = {
    id: '0123456789abcdef0123456789abcdef',
    ts: 1_763_737_890_123_456_789n,
    svc: 'social' as const,
    emitter: 'alice',
    social: { type: 'tease', actor: 'alice', target: 'bob', reason: 'r-💎', witness: '' },
  }

  it('equals computeEventId + syncEventDigest (over the received id) with either hash', () => {
    for (const hash of [nobleSha256, nodeSha256]) {
      const both = syncEventHashes(ev, hash)
      expect(both.id).toBe(computeEventId(ev))
      expect(toHex(both.digest)).toBe(toHex(syncEventDigest(ev)))
      expect(both.id).not.toBe(ev.id)
    }
  })
})
