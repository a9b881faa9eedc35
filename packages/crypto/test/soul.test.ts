import { describe, expect, it } from 'vitest'
import {
  bondTag,
  computeNaraId,
  decodeBase58,
  encodeBase58,
  encodeSoul,
  generateSoul,
  keypairFromSoul,
  macFragments,
  nameFromSoul,
  parseSoul,
  soulBytes,
  soulFromBytes,
  validateBond,
} from './helpers/public-api.js'

const fixedRandom = (byte: number) => (n: number) => new Uint8Array(n).fill(byte)

describe('base58 (btcutil)', () => {
  it('maps leading zero bytes to 1s and back', () => {
    const bytes = new Uint8Array([0, 0, 1, 2, 3])
    const text = encodeBase58(bytes)
    expect(text.startsWith('11')).toBe(true)
    expect(decodeBase58(text)).toEqual(bytes)
    expect(encodeBase58(new Uint8Array(0))).toBe('')
    expect(decodeBase58('')).toEqual(new Uint8Array(0))
  })

  it('throws InvalidBase58Error outside the alphabet (0, O, I, l)', () => {
    for (const bad of ['0', 'O', 'I', 'l', 'é']) {
      expect(() => decodeBase58(`abc${bad}`)).toThrow(
        expect.objectContaining({ name: 'InvalidBase58Error' }),
      )
    }
  })
})

describe('souls', () => {
  it('generateSoul with a name bonds to it; 54-55 chars; round trips', () => {
    const { soul, name } = generateSoul('alice', fixedRandom(7))
    expect(name).toBe('alice')
    expect(validateBond(soul, 'alice')).toBe(true)
    expect(validateBond(soul, 'bob')).toBe(false)
    const text = encodeSoul(soul)
    expect(text.length).toBeGreaterThanOrEqual(54)
    expect(text.length).toBeLessThanOrEqual(55)
    expect(parseSoul(text)).toEqual(soul)
  })

  it('generateSoul without a name uses the generated name of the seed', () => {
    const { soul, name } = generateSoul(undefined, fixedRandom(1))
    expect(name).toBe(nameFromSoul(soul))
    expect(name).toMatch(/^[a-z]+-[a-z]+-\d{3}$/)
    expect(validateBond(soul, name)).toBe(true)
    expect(generateSoul('', fixedRandom(1)).name).toBe(name)
  })

  it('generateSoul defaults to a real random source', () => {
    const a = generateSoul('x')
    const b = generateSoul('x')
    expect(encodeSoul(a.soul)).not.toBe(encodeSoul(b.soul))
  })

  it('parseSoul rejects anything not exactly 40 bytes with InvalidSoulError', () => {
    const ok = soulBytes(generateSoul('a', fixedRandom(3)).soul)
    for (const len of [0, 39, 41]) {
      const bytes = new Uint8Array(len).fill(5)
      expect(() => parseSoul(encodeBase58(bytes))).toThrow(
        expect.objectContaining({ name: 'InvalidSoulError' }),
      )
      expect(() => soulFromBytes(bytes)).toThrow(
        expect.objectContaining({ name: 'InvalidSoulError' }),
      )
    }
    expect(parseSoul(encodeBase58(ok))).toEqual(soulFromBytes(ok))
  })

  it('an empty name never has a valid bond, even with its own tag', () => {
    const { soul } = generateSoul('x', fixedRandom(9))
    const empty = soulFromBytes(new Uint8Array([...soul.seed, ...bondTag(soul.seed, '')]))
    expect(validateBond(empty, '')).toBe(false)
  })

  it('NaraID depends on soul and name; keypair is deterministic', () => {
    const { soul } = generateSoul('x', fixedRandom(4))
    expect(computeNaraId(soul, 'x')).not.toBe(computeNaraId(soul, 'y'))
    expect(computeNaraId(soul, 'x')).toBe(computeNaraId(encodeSoul(soul), 'x'))
    expect(keypairFromSoul(soul).publicKey).toEqual(keypairFromSoul(soul).publicKey)
  })

  it('throws InvalidInputTypeError for non-string soul text', () => {
    expect(() => parseSoul(42 as unknown as string)).toThrow(
      expect.objectContaining({ name: 'InvalidInputTypeError' }),
    )
  })
})

describe('hardware fragments', () => {
  it('keeps sorted MACs of en*/eth*/wlan*, skips loopback and empty MACs, once per interface', () => {
    const fragments = macFragments({
      lo: [{ mac: '00:00:00:00:00:00', internal: true }],
      wlan0: [{ mac: 'AA:BB:CC:DD:EE:02', internal: false }],
      eth0: [
        { mac: 'aa:bb:cc:dd:ee:01', internal: false },
        { mac: 'aa:bb:cc:dd:ee:01', internal: false },
      ],
      docker0: [{ mac: '02:42:ac:11:00:02', internal: false }],
      en5: [{ mac: '00:00:00:00:00:00', internal: false }],
    })
    expect(fragments).toBe('aa:bb:cc:dd:ee:01,aa:bb:cc:dd:ee:02')
  })
})
