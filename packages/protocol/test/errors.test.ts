/** One error convention: encoders and topic builders throw ProtocolErrors; decoding never throws. */
import { describe, expect, it } from 'vitest'
import {
  decodeMessage,
  encodeSyncEvent,
  goJsonFloat,
  InvalidNameError,
  newspaperTopic,
  ProtocolError,
  TOPICS,
} from './helpers/public-api.js'

function thrown(fn: () => unknown): Error {
  try {
    fn()
  } catch (err) {
    return err as Error
  }
  throw new Error('did not throw')
}

const ev = {
  id: 'x',
  ts: 1n,
  svc: 'chau' as const,
  chau: { From: 'a', PublicKey: '', ID: '', Signature: '' },
}

describe('errors', () => {
  it.each([
    ['InvalidNameError', 'ERR_INVALID_NAME', () => newspaperTopic('a/b'), RangeError],
    ['InvalidFloatError', 'ERR_INVALID_FLOAT', () => goJsonFloat(Number.NaN), RangeError],
    [
      'InvalidIntegerError',
      'ERR_INVALID_INTEGER',
      () => encodeSyncEvent({ ...ev, ts: 2n ** 64n }),
      RangeError,
    ],
    [
      'InvalidInputTypeError',
      'ERR_INVALID_INPUT_TYPE',
      () => encodeSyncEvent({ ...ev, ts: 5 as unknown as bigint }),
      TypeError,
    ],
  ])('%s: stable name and code, a ProtocolError, and its built-in base', (name, code, fn, base) => {
    const err = thrown(fn)
    expect(err.name).toBe(name)
    expect((err as ProtocolError).code).toBe(code)
    expect(err).toBeInstanceOf(ProtocolError)
    expect(err).toBeInstanceOf(base)
  })

  it('classes carry a default message and a static name', () => {
    expect(new InvalidNameError().message).toBe('invalid nara name')
    expect(InvalidNameError.name).toBe('InvalidNameError')
    expect(new RangeError('x')).not.toBeInstanceOf(ProtocolError)
  })
})

describe('topic classification happens once, in the decoder', () => {
  const bytes = new TextEncoder().encode('{')
  it('a refused payload on a plaza topic names its topic kind', () => {
    expect(decodeMessage(TOPICS.howdy, bytes)).toMatchObject({ ok: false, topic: 'howdy' })
    expect(decodeMessage('nara/newspaper/alice', bytes)).toMatchObject({ topic: 'newspaper' })
    expect(decodeMessage('nara/ledger/bob/request', bytes)).toMatchObject({
      topic: 'ledger_request',
    })
  })

  it('a topic that is not a plaza topic has none', () => {
    const r = decodeMessage('nara/elsewhere', bytes)
    expect(r).toMatchObject({ ok: false, reason: 'wrong-topic' })
    expect(r).not.toHaveProperty('topic')
  })
})
