/** One error convention: every throw is a CryptoError with a stable name and code. */
import { describe, expect, it } from 'vitest'
import {
  CryptoError,
  decodeBase58,
  GoRand,
  getBackend,
  InvalidSeedError,
  keypairFromSeed,
  parsePublicKeyBase64OrThrow,
  parseSoul,
  signSyncEvent,
} from './helpers/public-api.js'

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('did not throw')
}

describe('errors', () => {
  it.each([
    ['InvalidSoulError', 'ERR_INVALID_SOUL', () => parseSoul('abc'), Error],
    ['InvalidBase58Error', 'ERR_INVALID_BASE58', () => decodeBase58('0OIl'), Error],
    ['InvalidInputTypeError', 'ERR_INVALID_INPUT_TYPE', () => parseSoul(5 as never), TypeError],
    ['InvalidSeedError', 'ERR_INVALID_SEED', () => keypairFromSeed(new Uint8Array(3)), RangeError],
    [
      'InvalidPublicKeyError',
      'ERR_INVALID_PUBLIC_KEY',
      () => parsePublicKeyBase64OrThrow('AAAA'),
      RangeError,
    ],
    ['InvalidArgumentError', 'ERR_INVALID_ARGUMENT', () => new GoRand(1n).intn(0), RangeError],
    [
      'InvalidMessageError',
      'ERR_INVALID_MESSAGE',
      () => signSyncEvent({ ts: 1n, svc: 'nope' }, { name: 'a', seed: new Uint8Array(32) }),
      TypeError,
    ],
  ])('%s: stable name and code, a CryptoError, and its built-in base', (name, code, fn, base) => {
    const err = thrown(fn)
    expect(err.name).toBe(name)
    expect((err as CryptoError).code).toBe(code)
    expect(err).toBeInstanceOf(CryptoError)
    expect(err).toBeInstanceOf(base)
  })

  it('BackendUnavailableError names the backend, never a key', () => {
    const err = thrown(() => getBackend('nope' as never))
    expect(err.name).toBe('BackendUnavailableError')
    expect(err).toBeInstanceOf(CryptoError)
  })

  it('classes carry a default message and a static name', () => {
    expect(new InvalidSeedError().message).toBe('a seed is 32 bytes')
    expect(InvalidSeedError.name).toBe('InvalidSeedError')
    expect(new Error('x')).not.toBeInstanceOf(CryptoError)
    expect(new RangeError('x')).not.toBeInstanceOf(CryptoError)
  })
})
