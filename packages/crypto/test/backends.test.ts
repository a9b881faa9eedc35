/** One compliance suite, run against every backend (noble, node, sodium). */
import { describe, expect, it } from 'vitest'
import {
  availableBackends,
  fastestBackend,
  fromBase64Strict,
  getBackend,
  isWeakPublicKey,
  loadSodiumBackend,
  nobleBackend,
  parsePublicKeyBase64,
} from './helpers/public-api.js'

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

/** Edge vectors on which Ed25519 implementations are known to disagree. */
describe('edge vectors: every backend and the key decoder agree', () => {
  const hex = (h: string) => Uint8Array.from(Buffer.from(h, 'hex'))
  const L = 2n ** 252n + 27742317777372353535851937790883648493n
  const le32 = (n: bigint) => {
    const out = new Uint8Array(32)
    for (let i = 0; i < 32; i++) out[i] = Number((n >> BigInt(8 * i)) & 0xffn)
    return out
  }
  const identityKey = hex('0100000000000000000000000000000000000000000000000000000000000000')
  const smallOrder = [
    identityKey,
    new Uint8Array(32), // order 4
    hex('26e8958fc2b227b045c3f489f2ef98f0d5dfac05d3c63339b13802886d53fc05'), // order 8
    hex('c7176a703d4dd84fba3c0b760d10670f2a2053fa2c39ccc64ec7fd7792ac037a'), // order 8
    hex('ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // order 2
    hex('edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p: non-canonical 0
    hex('eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f'), // p+1: non-canonical 1
    hex('0100000000000000000000000000000000000000000000000000000000000080'), // identity, sign bit set
  ]
  const zeroSig = new Uint8Array(64)
  // R = identity, S = 0: "verifies" any message under a small-order key in lax implementations.
  const identitySig = Uint8Array.from([...identityKey, ...new Uint8Array(32)])

  it.each(availableBackends().map((b) => [b.name, b] as const))(
    '%s rejects small-order and non-canonical public keys for any message',
    (_name, backend) => {
      for (const key of smallOrder) {
        for (const m of [message, new Uint8Array(0), new TextEncoder().encode('anything')]) {
          expect(backend.verify(zeroSig, m, key)).toBe(false)
          expect(backend.verify(identitySig, m, key)).toBe(false)
        }
      }
    },
  )

  it.each(availableBackends().map((b) => [b.name, b] as const))(
    '%s rejects a non-canonical S (S + L) of a valid signature',
    (_name, backend) => {
      const sig = backend.sign(message, seed)
      const pk = backend.publicKey(seed)
      let s = 0n
      for (let i = 31; i >= 0; i--) s = (s << 8n) | BigInt(sig[32 + i] ?? 0)
      const malleated = Uint8Array.from([...sig.subarray(0, 32), ...le32(s + L)])
      expect(backend.verify(sig, message, pk)).toBe(true)
      expect(backend.verify(malleated, message, pk)).toBe(false)
    },
  )

  it('the one key decoder refuses small-order, non-canonical and laxly encoded keys', () => {
    for (const key of smallOrder) {
      expect(isWeakPublicKey(key)).toBe(true)
      expect(parsePublicKeyBase64(Buffer.from(key).toString('base64'))).toBeNull()
    }
    expect(parsePublicKeyBase64('AQAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=')).toBeNull()
    const good = nobleBackend.publicKey(seed)
    const text = Buffer.from(good).toString('base64')
    expect(isWeakPublicKey(good)).toBe(false)
    expect(parsePublicKeyBase64(text)).toEqual(good)
    // URL-safe alphabet, missing padding, non-zero trailing bits: not the wire form.
    expect(parsePublicKeyBase64(text.replace(/\+/g, '-').replace(/\//g, '_'))).toEqual(
      /[+/]/.test(text) ? null : good,
    )
    expect(parsePublicKeyBase64(text.slice(0, 43))).toBeNull()
    const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
    const last = ALPHA.indexOf(text[42] as string)
    const lax = `${text.slice(0, 42)}${ALPHA[last ^ 1]}=`
    expect(Buffer.from(lax, 'base64')).toEqual(Buffer.from(good)) // Node's decoder is lax
    expect(parsePublicKeyBase64(lax)).toBeNull()
    expect(fromBase64Strict(lax)).toBeNull()
  })

  it('the key decoder remembers verdicts by text but hands out copies', () => {
    const good = nobleBackend.publicKey(seed)
    const text = Buffer.from(good).toString('base64')
    const first = parsePublicKeyBase64(text) as Uint8Array
    first.fill(0) // a caller scribbling on its key changes no later answer
    const second = parsePublicKeyBase64(text)
    expect(second).toEqual(good)
    expect(second).not.toBe(first)
    const weak = Buffer.from(smallOrder[0] as Uint8Array).toString('base64')
    expect(parsePublicKeyBase64(weak)).toBeNull()
    expect(parsePublicKeyBase64(weak)).toBeNull()
  })
})
