/**
 * Security regressions of connecting: TLS with a CA minted at test time, and a password the
 * broker checks. Failed connects must be typed, name the broker URL without credentials, and
 * back off through the reconnect loop instead of hammering the broker.
 */
import type { TestPki } from '@nara/vitest-config/brokers'
import { expect } from 'vitest'
import { createManualClock, recordingLogger, scriptedRandom } from '../../src/testing.js'
import { nextEvent } from '../helpers.js'
import type { Check, Session } from './matrix.js'

/** The username and password the credential checks' brokers require. */
export const BROKER_LOGIN = { username: 'nara', password: 's3cret-pass' } as const

function tlsUrlOf(s: Session): string {
  const url = s.broker.tlsUrl
  if (url === undefined) throw new Error(`the ${s.broker.name} broker has no TLS listener`)
  return url
}

/** TLS checks; `pki` gives the test PKI the broker's TLS listener uses. */
export function tlsChecks(pki: () => TestPki): Readonly<Record<string, Check>> {
  return {
    'connects when the test CA is trusted': async (s) => {
      const tlsUrl = tlsUrlOf(s)
      const logger = recordingLogger()
      const alice = s.open('alice', {
        logger,
        brokerUrl: tlsUrl,
        options: { tls: { ca: pki().ca } },
      })
      const connected = nextEvent(alice, 'connected')
      await alice.start()
      expect((await connected).brokerUrl).toBe(tlsUrl)
      expect(alice.connected).toBe(true)
      expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([])
    },

    'fails with a clear certificate error without the CA, and backs off': async (s) => {
      const tlsUrl = tlsUrlOf(s)
      const clock = createManualClock()
      const alice = s.open('alice', { clock, random: scriptedRandom([0.5]), brokerUrl: tlsUrl })
      const failed = nextEvent(alice, 'error')
      const scheduled = nextEvent(alice, 'reconnect-scheduled')
      await alice.start()
      const error = await failed
      expect(error.name).toBe('TlsError')
      expect(error.code).toBe('tls')
      expect(error.brokerUrl).toBe(tlsUrl)
      expect(error.message).toContain(tlsUrl)
      expect(error.message).toMatch(/certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i)
      // The advice names the option to set (an app names its own: `tls.caSetting`).
      expect(error.message).toContain('pass the broker CA in tls.ca')
      expect((await scheduled).delayMs).toBe(20_000)
      expect(alice.connected).toBe(false)
      expect(clock.pending()).toHaveLength(1)
    },

    'connects with the explicit opt-out, and warns on every attempt': async (s) => {
      const tlsUrl = tlsUrlOf(s)
      const clock = createManualClock()
      const logger = recordingLogger()
      const alice = s.open('alice', {
        clock,
        logger,
        brokerUrl: tlsUrl,
        options: { tls: { insecureSkipVerify: true } },
      })
      const insecureWarnings = () =>
        logger.lines.filter((l) => l.level === 'warn' && /verification is DISABLED/.test(l.msg))
      const connected = nextEvent(alice, 'connected')
      await alice.start()
      await connected
      expect(insecureWarnings()).toHaveLength(1)
      expect(insecureWarnings()[0]?.fields).toEqual({ brokerUrl: tlsUrl })
      // A reconnect is another use of the opt-out: another warning.
      const scheduled = nextEvent(alice, 'reconnect-scheduled')
      await s.broker.restart()
      await scheduled
      const reconnected = nextEvent(alice, 'connected')
      clock.runNext()
      await reconnected
      expect(insecureWarnings()).toHaveLength(2)
    },
  }
}

/** Credential checks against a broker that requires {@link BROKER_LOGIN}. */
export const CREDENTIAL_CHECKS: Readonly<Record<string, Check>> = {
  'connects with the right credentials': async (s) => {
    const alice = s.open('alice', { options: { ...BROKER_LOGIN } })
    const connected = nextEvent(alice, 'connected')
    await alice.start()
    await connected
    expect(alice.connected).toBe(true)
  },

  'wrong credentials give a clear error, and the loop backs off': async (s) => {
    const { broker } = s
    const clock = createManualClock()
    const logger = recordingLogger()
    const alice = s.open('alice', {
      clock,
      logger,
      random: scriptedRandom([0, 0.999]),
      brokerUrl: `mqtt://nara:wrong-pass@127.0.0.1:${broker.port}`,
    })
    const failed = nextEvent(alice, 'error')
    const scheduled = nextEvent(alice, 'reconnect-scheduled')
    await alice.start()
    const error = await failed
    expect(error.name).toBe('AuthRefusedError')
    expect(error.code).toBe('auth-refused')
    expect(error.message).toContain(broker.url)
    expect(error.message).not.toContain('wrong-pass')
    expect(alice.brokerUrl).toBe(broker.url)
    expect(JSON.stringify(logger.lines)).not.toContain('wrong-pass')
    // No hammering: the next attempt waits like any other failure.
    expect((await scheduled).delayMs).toBe(5000)
    expect(clock.pending()).toHaveLength(1)
    expect(alice.counters().connectFailures).toBe(1)
    const again = nextEvent(alice, 'error')
    const next = nextEvent(alice, 'reconnect-scheduled')
    clock.runNext()
    expect((await again).name).toBe('AuthRefusedError')
    expect((await next).delayMs).toBe(34_970)
    expect(alice.counters().connectFailures).toBe(2)
    expect(alice.counters().connects).toBe(0)
  },
}
