import { describe, expect, it } from 'vitest'
import {
  AuthRefusedError,
  BrokerRefusedError,
  BrokerUnreachableError,
  ConnectionLostError,
  ConnectTimeoutError,
  InvalidBrokerUrlError,
  InvalidOptionsError,
  PlazaError,
  type PlazaErrorCode,
  SubscribeFailedError,
  TlsError,
  VerifyWorkerError,
} from '../src/index.js'

const CLASSES = [
  [InvalidOptionsError, 'InvalidOptionsError', 'invalid-options'],
  [InvalidBrokerUrlError, 'InvalidBrokerUrlError', 'invalid-broker-url'],
  [AuthRefusedError, 'AuthRefusedError', 'auth-refused'],
  [TlsError, 'TlsError', 'tls'],
  [BrokerUnreachableError, 'BrokerUnreachableError', 'unreachable'],
  [ConnectTimeoutError, 'ConnectTimeoutError', 'connect-timeout'],
  [BrokerRefusedError, 'BrokerRefusedError', 'broker-refused'],
  [ConnectionLostError, 'ConnectionLostError', 'connection-lost'],
  [VerifyWorkerError, 'VerifyWorkerError', 'verify-worker'],
] as const

describe('plaza errors', () => {
  it.each(CLASSES)(
    '%o: a PlazaError with a stable static and instance name, one code, a default message',
    (Class, name, code) => {
      const cause = new Error('socket said no')
      const err = new Class('broker mqtt://h:1883 said no', { brokerUrl: 'mqtt://h:1883', cause })
      expect(err).toBeInstanceOf(PlazaError)
      expect(err).toBeInstanceOf(Error)
      expect([Class.name, err.name, err.code]).toEqual([name, name, code])
      expect([err.brokerUrl, err.cause, err.message]).toEqual([
        'mqtt://h:1883',
        cause,
        'broker mqtt://h:1883 said no',
      ])
      const bare = new Class()
      expect(bare.message).not.toBe('')
      expect([bare.name, bare.brokerUrl, 'cause' in bare]).toEqual([name, undefined, false])
      expect(String(bare)).toBe(`${name}: ${bare.message}`)
    },
  )

  it('SubscribeFailedError names its topic', () => {
    const err = new SubscribeFailedError('subscribe to nara/plaza/howdy failed', {
      brokerUrl: 'mqtt://h:1883',
      topic: 'nara/plaza/howdy',
    })
    expect(err).toBeInstanceOf(PlazaError)
    expect([SubscribeFailedError.name, err.name, err.code, err.topic]).toEqual([
      'SubscribeFailedError',
      'SubscribeFailedError',
      'subscribe-failed',
      'nara/plaza/howdy',
    ])
  })

  it('gives every failure kind its own code', () => {
    const codes: PlazaErrorCode[] = [...CLASSES.map(([, , code]) => code), 'subscribe-failed']
    expect(new Set(codes).size).toBe(codes.length)
  })
})
