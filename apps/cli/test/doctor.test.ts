/**
 * `nara doctor` as a real process against real brokers: aedes for the plain path, mosquitto with
 * a password file and a TLS listener (throwaway CA) for the credentials and TLS chain steps, and
 * aedes over WebSocket (ws://, wss:// with a throwaway CA) for the WebSocket path.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  type MosquittoBroker,
  makeTestPki,
  startAedes,
  startMosquitto,
  type TestBroker,
  type TestPki,
} from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runNara } from './helpers/run-cli.js'
import { startWsAedes, type WsAedes } from './helpers/ws-aedes.js'

interface Step {
  step: string
  status: 'ok' | 'warn' | 'fail' | 'skip'
  detail: string
  fix?: string
}

function parseReport(stdout: string): { ok: boolean; steps: Step[] } {
  return JSON.parse(stdout)
}

describe('nara doctor on aedes (plain MQTT)', () => {
  let broker: TestBroker
  beforeAll(async () => {
    broker = await startAedes()
  })
  afterAll(() => broker?.close())

  it('passes every step and exits 0 on a good config', async () => {
    const r = await runNara(['doctor', '--json'], { env: { MQTT_HOST: broker.url } })
    expect(r.code).toBe(0)
    const report = parseReport(r.stdout)
    expect(report.ok).toBe(true)
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['configuration', 'ok'],
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
      ['credentials', 'ok'],
      ['subscribe', 'ok'],
      ['round-trip', 'ok'],
    ])
  })

  it('prints each step with a verdict for humans', async () => {
    const r = await runNara(['doctor'], { env: { MQTT_HOST: broker.url, NO_COLOR: '1' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^ok\s+round-trip\s+published on nara\/doctor\//m)
    expect(r.stdout).not.toContain('\u001b[')
  })

  it('names the failing configuration variables and skips the network', async () => {
    const r = await runNara(['doctor', '--json'], {
      env: { MQTT_HOST: broker.url, MQTT_PORT: 'abc', NARA_TLS_INSECURE: 'perhaps' },
    })
    expect(r.code).toBe(1)
    const report = parseReport(r.stdout)
    expect(report.steps[0]).toMatchObject({ step: 'configuration', status: 'fail' })
    expect(report.steps[0]!.detail).toContain('MQTT_PORT')
    expect(report.steps[0]!.detail).toContain('NARA_TLS_INSECURE')
    expect(report.steps.slice(1).every((s) => s.status === 'skip')).toBe(true)
  })
})

describe('nara doctor on mosquitto (credentials and TLS)', () => {
  let dir: string
  let pki: TestPki
  let otherPki: TestPki
  let broker: MosquittoBroker
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-doctor-'))
    pki = await makeTestPki(path.join(dir, 'good'))
    otherPki = await makeTestPki(path.join(dir, 'other'))
    broker = await startMosquitto({
      username: 'nara',
      password: 'plaza-secret',
      tls: { caFile: pki.caFile, certFile: pki.certFile, keyFile: pki.keyFile },
    })
  })
  afterAll(async () => {
    await broker?.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const tlsEnv = () => ({
    MQTT_HOST: `tls://localhost:${broker.tlsPort}`,
    MQTT_USER: 'nara',
    MQTT_PASS: 'plaza-secret',
    NARA_TLS_CA: pki.caFile,
  })

  it('passes over TLS with the right CA and password', async () => {
    const r = await runNara(['doctor', '--json'], { env: tlsEnv() })
    const report = parseReport(r.stdout)
    expect(report.steps.filter((s) => s.status !== 'ok')).toEqual([])
    expect(report.steps.find((s) => s.step === 'tls')!.detail).toContain('chain verified')
    expect(r.code).toBe(0)
  })

  it('names the credentials step on a wrong password', async () => {
    const r = await runNara(['doctor', '--json'], { env: { ...tlsEnv(), MQTT_PASS: 'wrong' } })
    expect(r.code).toBe(1)
    const report = parseReport(r.stdout)
    const failed = report.steps.filter((s) => s.status === 'fail')
    expect(failed.map((s) => s.step)).toEqual(['credentials'])
    expect(failed[0]!.fix).toMatch(/MQTT_PASS/)
    expect(r.stdout).not.toContain('wrong')
    expect(report.steps.find((s) => s.step === 'tls')!.status).toBe('ok')
  })

  it('names the tls step when the certificate is not trusted', async () => {
    const r = await runNara(['doctor'], {
      env: { ...tlsEnv(), NARA_TLS_CA: otherPki.caFile, NO_COLOR: '1' },
    })
    expect(r.code).toBe(1)
    expect(r.stdout).toMatch(/^FAIL\s+tls\s+the broker certificate is not trusted/m)
    expect(r.stdout).toMatch(/fix: the CA in .* did not sign the broker certificate/)
    expect(r.stdout).toMatch(/^skip\s+credentials/m)
  })

  it('names the tls step when no CA is configured for a private CA', async () => {
    const env: Record<string, string | undefined> = { ...tlsEnv(), NARA_TLS_CA: undefined }
    const r = await runNara(['doctor', '--json'], { env })
    expect(r.code).toBe(1)
    const tls = parseReport(r.stdout).steps.find((s) => s.step === 'tls')!
    expect(tls.status).toBe('fail')
    expect(tls.fix).toMatch(/NARA_TLS_CA/)
  })
})

describe('nara doctor over WebSocket (aedes behind ws)', () => {
  let dir: string
  let pki: TestPki
  let plain: WsAedes
  let secure: WsAedes
  let strict: WsAedes
  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-doctor-ws-'))
    pki = await makeTestPki(path.join(dir, 'pki'))
    plain = await startWsAedes()
    secure = await startWsAedes({
      tls: { certFile: pki.certFile, keyFile: pki.keyFile },
      aedes: {
        authenticate: (_client, username, password, done) => {
          if (username === 'nara' && password?.toString('utf8') === 'plaza-secret') {
            done(null, true)
          } else {
            done(
              Object.assign(new Error('bad username or password'), { returnCode: 4 as const }),
              false,
            )
          }
        },
      },
    })
    // Refuses the user "guest" as not authorized (return code 5), lets anyone else in, and
    // grants no subscription at all (SUBACK 0x80).
    strict = await startWsAedes({
      aedes: {
        authenticate: (_client, username, _password, done) => {
          if (username === 'guest') {
            done(Object.assign(new Error('not authorized'), { returnCode: 5 as const }), false)
          } else {
            done(null, true)
          }
        },
        authorizeSubscribe: (_client, _sub, done) => done(null, null),
      },
    })
  })
  afterAll(async () => {
    await Promise.all([plain?.close(), secure?.close(), strict?.close()])
    rmSync(dir, { recursive: true, force: true })
  })

  it('passes every step through ws:// end to end', async () => {
    const r = await runNara(['doctor', '--json'], { env: { MQTT_HOST: plain.url } })
    const report = parseReport(r.stdout)
    expect(report.steps.map((s) => [s.step, s.status])).toEqual([
      ['configuration', 'ok'],
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
      ['credentials', 'ok'],
      ['subscribe', 'ok'],
      ['round-trip', 'ok'],
    ])
    expect(report.steps.find((s) => s.step === 'credentials')!.detail).toContain('WebSocket')
    expect(r.code).toBe(0)
  })

  it('passes every step through wss:// with the right CA and password', async () => {
    const r = await runNara(['doctor', '--json'], {
      env: {
        MQTT_HOST: secure.url,
        MQTT_USER: 'nara',
        MQTT_PASS: 'plaza-secret',
        NARA_TLS_CA: pki.caFile,
      },
    })
    const report = parseReport(r.stdout)
    expect(report.steps.filter((s) => s.status !== 'ok')).toEqual([])
    expect(report.steps.find((s) => s.step === 'tls')!.detail).toContain('chain verified')
    expect(r.code).toBe(0)
  })

  it('names the credentials step on a wrong password over wss://', async () => {
    const r = await runNara(['doctor', '--json'], {
      env: {
        MQTT_HOST: secure.url,
        MQTT_USER: 'nara',
        MQTT_PASS: 'wrong',
        NARA_TLS_CA: pki.caFile,
      },
    })
    expect(r.code).toBe(1)
    const failed = parseReport(r.stdout).steps.filter((s) => s.status === 'fail')
    expect(failed.map((s) => s.step)).toEqual(['credentials'])
    expect(failed[0]!.detail).toMatch(/bad username or password/)
    expect(failed[0]!.fix).toMatch(/MQTT_PASS/)
  })

  it('tells "not authorized" apart from a bad password', async () => {
    const r = await runNara(['doctor', '--json'], {
      env: { MQTT_HOST: strict.url, MQTT_USER: 'guest', MQTT_PASS: 'whatever' },
    })
    expect(r.code).toBe(1)
    const credentials = parseReport(r.stdout).steps.find((s) => s.step === 'credentials')!
    expect(credentials.status).toBe('fail')
    expect(credentials.detail).toMatch(/not authorized/)
    expect(credentials.fix).toMatch(/does not authorise user "guest"/)
  })

  it('names the subscribe step when the broker grants no subscription (SUBACK 0x80)', async () => {
    const r = await runNara(['doctor', '--json'], { env: { MQTT_HOST: strict.url } })
    expect(r.code).toBe(1)
    const report = parseReport(r.stdout)
    expect(report.steps.slice(4).map((s) => [s.step, s.status])).toEqual([
      ['credentials', 'ok'],
      ['subscribe', 'fail'],
      ['round-trip', 'skip'],
    ])
    expect(report.steps[5]!.fix).toMatch(/ACL/)
  })
})

describe('nara doctor with a list of brokers (MQTT_HOST a,b)', () => {
  let alive: TestBroker
  let dead: TestBroker
  beforeAll(async () => {
    alive = await startAedes()
    dead = await startMosquitto()
    // A real broker that died: nothing listens on its port any more.
    await dead.close()
  })
  afterAll(() => alive?.close())

  it('checks every broker, one step each, and names the dead one on a line of its own', async () => {
    const env = { MQTT_HOST: `${alive.url},${dead.url}`, NO_COLOR: '1' }
    const json = await runNara(['doctor', '--json'], { env })
    expect(json.code).toBe(1)
    const report = JSON.parse(json.stdout) as {
      ok: boolean
      steps: Array<Step & { broker?: string }>
      brokers: Array<{ url: string; ok: boolean }>
    }
    expect(report.ok).toBe(false)
    expect(report.brokers).toEqual([
      expect.objectContaining({ url: alive.url, ok: true }),
      expect.objectContaining({ url: dead.url, ok: false }),
    ])
    const of = (url: string) =>
      report.steps.filter((s) => s.broker === url).map((s) => [s.step, s.status])
    expect(of(alive.url)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'ok'],
      ['tls', 'ok'],
      ['credentials', 'ok'],
      ['subscribe', 'ok'],
      ['round-trip', 'ok'],
    ])
    expect(of(dead.url)).toEqual([
      ['dns', 'ok'],
      ['tcp', 'fail'],
      ['tls', 'skip'],
      ['credentials', 'skip'],
      ['subscribe', 'skip'],
      ['round-trip', 'skip'],
    ])
    expect(report.steps[0]).toMatchObject({ step: 'configuration', status: 'ok' })

    const human = await runNara(['doctor'], { env })
    expect(human.code).toBe(1)
    expect(human.stdout).toContain(`FAIL  ${dead.url}: tcp failed: cannot connect to`)
    expect(human.stdout).toMatch(new RegExp(`^ok\\s+${escapeRegExp(alive.url)}$`, 'm'))
    expect(human.stdout).toContain('1 of 2 brokers failed')
  })
})

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
