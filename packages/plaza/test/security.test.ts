/**
 * Security tests against a real mosquitto: TLS with a CA minted at test time, and a password
 * file made with mosquitto_passwd. Failed connects must be typed, name the broker URL without
 * credentials, and back off through the reconnect loop instead of hammering the broker.
 */
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import {
  type MosquittoBroker,
  makeTestPki,
  startMosquitto,
  type TestPki,
} from '@nara/vitest-config/brokers'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { Plaza } from '../src/index.js'
import { createManualClock } from '../src/testing.js'
import { makePlaza, nextEvent, recordingLogger, scriptedRandom } from './helpers.js'

const plazas: Plaza[] = []
afterEach(async () => {
  await Promise.all(plazas.splice(0).map((p) => p.stop()))
})

describe('TLS against mosquitto', () => {
  let dir: string
  let pki: TestPki
  let broker: MosquittoBroker
  let tlsUrl: string
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'nara-plaza-pki-'))
    pki = await makeTestPki(dir)
    broker = await startMosquitto({ tls: pki })
    tlsUrl = broker.tlsUrl as string
  })
  afterAll(async () => {
    await broker.close()
    await rm(dir, { recursive: true, force: true })
  })

  it('connects when the test CA is trusted', async () => {
    const logger = recordingLogger()
    const { plaza } = makePlaza('alice', tlsUrl, { logger, options: { tls: { ca: pki.ca } } })
    plazas.push(plaza)
    const connected = nextEvent(plaza, 'connected')
    await plaza.start()
    expect((await connected).brokerUrl).toBe(tlsUrl)
    expect(plaza.connected).toBe(true)
    expect(logger.lines.filter((l) => l.level === 'warn')).toEqual([])
  })

  it('fails with a clear certificate error without the CA, and backs off', async () => {
    const clock = createManualClock()
    const { plaza } = makePlaza('alice', tlsUrl, { clock, random: scriptedRandom([0.5]) })
    plazas.push(plaza)
    const failed = nextEvent(plaza, 'error')
    const scheduled = nextEvent(plaza, 'reconnect-scheduled')
    await plaza.start()
    const error = await failed
    expect(error.name).toBe('TlsError')
    expect(error.code).toBe('tls')
    expect(error.brokerUrl).toBe(tlsUrl)
    expect(error.message).toContain(tlsUrl)
    expect(error.message).toMatch(/certificate|UNABLE_TO_VERIFY|SELF_SIGNED/i)
    expect((await scheduled).delayMs).toBe(20_000)
    expect(plaza.connected).toBe(false)
    expect(clock.pending()).toHaveLength(1)
  })

  it('connects with the explicit opt-out, and warns on every attempt', async () => {
    const clock = createManualClock()
    const logger = recordingLogger()
    const { plaza } = makePlaza('alice', tlsUrl, {
      clock,
      logger,
      options: { tls: { insecureSkipVerify: true } },
    })
    plazas.push(plaza)
    const insecureWarnings = () =>
      logger.lines.filter((l) => l.level === 'warn' && /verification is DISABLED/.test(l.msg))
    const connected = nextEvent(plaza, 'connected')
    await plaza.start()
    await connected
    expect(insecureWarnings()).toHaveLength(1)
    expect(insecureWarnings()[0]?.fields).toEqual({ brokerUrl: tlsUrl })
    // A reconnect is another use of the opt-out: another warning.
    const scheduled = nextEvent(plaza, 'reconnect-scheduled')
    await broker.restart()
    await scheduled
    const reconnected = nextEvent(plaza, 'connected')
    clock.runNext()
    await reconnected
    expect(insecureWarnings()).toHaveLength(2)
  })
})

describe('username/password against mosquitto', () => {
  let broker: MosquittoBroker
  beforeAll(async () => {
    broker = await startMosquitto({ username: 'nara', password: 's3cret-pass' })
  })
  afterAll(() => broker.close())

  it('connects with the right credentials', async () => {
    const { plaza } = makePlaza('alice', broker.url, {
      options: { username: 'nara', password: 's3cret-pass' },
    })
    plazas.push(plaza)
    const connected = nextEvent(plaza, 'connected')
    await plaza.start()
    await connected
    expect(plaza.connected).toBe(true)
  })

  it('wrong credentials give a clear error, and the loop backs off', async () => {
    const clock = createManualClock()
    const logger = recordingLogger()
    const { plaza } = makePlaza('alice', `mqtt://nara:wrong-pass@127.0.0.1:${broker.port}`, {
      clock,
      logger,
      random: scriptedRandom([0, 0.999]),
    })
    plazas.push(plaza)
    const failed = nextEvent(plaza, 'error')
    const scheduled = nextEvent(plaza, 'reconnect-scheduled')
    await plaza.start()
    const error = await failed
    expect(error.name).toBe('AuthRefusedError')
    expect(error.code).toBe('auth-refused')
    expect(error.message).toContain(broker.url)
    expect(error.message).not.toContain('wrong-pass')
    expect(plaza.brokerUrl).toBe(broker.url)
    expect(JSON.stringify(logger.lines)).not.toContain('wrong-pass')
    // No hammering: the next attempt waits like any other failure.
    expect((await scheduled).delayMs).toBe(5000)
    expect(clock.pending()).toHaveLength(1)
    expect(plaza.counters().connectFailures).toBe(1)
    const again = nextEvent(plaza, 'error')
    const next = nextEvent(plaza, 'reconnect-scheduled')
    clock.runNext()
    expect((await again).name).toBe('AuthRefusedError')
    expect((await next).delayMs).toBe(34_970)
    expect(plaza.counters().connectFailures).toBe(2)
    expect(plaza.counters().connects).toBe(0)
  })
})
