/**
 * Secrets stay in files and out of the command line, and mosquitto_sub's flags work: `soul new
 * --out` writes 0600, NARA_SOUL_FILE / MQTT_PASS_FILE / --mqtt-pass-file, a password without a
 * user is a config error naming that cause, and mTLS with --cert/--key against a real mosquitto
 * with `require_certificate true` (a throwaway PKI made by openssl), through -h/-u/--cafile.
 */
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  type MosquittoBroker,
  makeTestPki,
  startMosquitto,
  type TestPki,
} from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { runNara } from './helpers/run-cli.js'

let dir: string
beforeAll(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-secrets-'))
})
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const json = (text: string) => JSON.parse(text) as Record<string, unknown>

describe('souls in files', () => {
  it('soul new --out writes a 0600 file, prints no soul, and never overwrites', async () => {
    const file = path.join(dir, 'lisa.soul')
    const made = await runNara(['soul', 'new', '--name', 'lisa', '--out', file, '--json'])
    expect(made.code).toBe(0)
    const result = json(made.stdout)
    expect(result).toMatchObject({ soulFile: file, name: 'lisa' })
    expect(result).not.toHaveProperty('soul')
    expect(statSync(file).mode & 0o777).toBe(0o600)
    const soul = readFileSync(file, 'utf8').trim()
    expect(made.stdout).not.toContain(soul)

    const inspected = await runNara(['soul', 'inspect', '--json'], {
      env: { NARA_SOUL_FILE: file, NARA_ID: 'lisa' },
    })
    expect(inspected.code).toBe(0)
    expect(json(inspected.stdout)).toMatchObject({
      name: 'lisa',
      bond: true,
      publicKey: result.publicKey,
    })

    const again = await runNara(['soul', 'new', '--out', file])
    expect(again.code).toBe(2)
    expect(again.stderr).toContain(`error: ${file} already exists: refusing to overwrite it`)
    expect(readFileSync(file, 'utf8').trim()).toBe(soul)
  })

  it('refuses NARA_SOUL and NARA_SOUL_FILE together, naming both and not the soul', async () => {
    const file = path.join(dir, 'both.soul')
    const made = await runNara(['soul', 'new', '--out', file, '--json'])
    const soul = readFileSync(file, 'utf8').trim()
    expect(made.code).toBe(0)
    const r = await runNara(['soul', 'inspect'], { env: { NARA_SOUL: soul, NARA_SOUL_FILE: file } })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('NARA_SOUL and NARA_SOUL_FILE: give one of them, not both')
    expect(r.stderr).not.toContain(soul)
  })
})

describe('broker passwords', () => {
  it.each([
    [['who'], { MQTT_PASS: 'secret-pw' }, 'MQTT_PASS'],
    [['who', '-P', 'secret-pw'], {}, '--mqtt-pass'],
    [['who', '--mqtt-pass-file', 'PASSFILE'], {}, '--mqtt-pass-file'],
  ])(
    'a password without a user is a config error naming the cause (%j)',
    async (args, env, label) => {
      const passFile = path.join(dir, 'pw')
      writeFileSync(passFile, 'secret-pw\n', { mode: 0o600 })
      const r = await runNara(
        args.map((a) => (a === 'PASSFILE' ? passFile : a)),
        { env: { MQTT_HOST: 'mqtt://127.0.0.1:9', ...env } },
      )
      expect(r.code).toBe(2)
      expect(r.stderr).toContain(`- ${label}: a password without a user name`)
      expect(r.stderr).toMatch(/fix: set MQTT_USER \(or -u \/ --mqtt-user\)/)
      expect(r.stderr).not.toMatch(/CONNACK|secret-pw/)
    },
  )

  it('names an unreadable or doubled password source', async () => {
    const r = await runNara(['who', '-u', 'me'], {
      env: { MQTT_HOST: 'mqtt://127.0.0.1:9', MQTT_PASS_FILE: path.join(dir, 'nope') },
    })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      `MQTT_PASS_FILE: cannot read ${path.join(dir, 'nope')}: no such file`,
    )
    const both = await runNara(['who', '-u', 'me', '-P', 'x', '--mqtt-pass-file', 'y'], {
      env: { MQTT_HOST: 'mqtt://127.0.0.1:9' },
    })
    expect(both.code).toBe(2)
    expect(both.stderr).toContain('--mqtt-pass and --mqtt-pass-file: give one of them, not both')
  })
})

describe('mosquitto with require_certificate and a password (mosquitto_sub flags)', () => {
  let pki: TestPki
  let broker: MosquittoBroker
  let passFile: string
  beforeAll(async () => {
    pki = await makeTestPki(path.join(dir, 'pki'))
    broker = await startMosquitto({
      username: 'nara',
      password: 'pw-from-file',
      tls: {
        caFile: pki.caFile,
        certFile: pki.certFile,
        keyFile: pki.keyFile,
        requireClientCertificate: true,
      },
    })
    passFile = path.join(dir, 'mqtt-pass')
    writeFileSync(passFile, 'pw-from-file\n', { mode: 0o600 })
  })
  afterAll(() => broker?.close())

  const tlsArgs = () => [
    '-h',
    broker.tlsUrl!,
    '-u',
    'nara',
    '--mqtt-pass-file',
    passFile,
    '--cafile',
    pki.caFile,
  ]

  it('doctor passes every step with --cert/--key, and fails the TLS step without them', async () => {
    const ok = await runNara(
      ['doctor', '--json', ...tlsArgs(), '--cert', pki.clientCertFile, '--key', pki.clientKeyFile],
      { timeoutMs: 60_000 },
    )
    const report = json(ok.stdout) as { ok: boolean; steps: { step: string; status: string }[] }
    expect(report.steps.filter((s) => s.status !== 'ok')).toEqual([])
    expect(ok.code).toBe(0)

    const noCert = await runNara(['doctor', '--json', ...tlsArgs()], { timeoutMs: 60_000 })
    expect(noCert.code).toBe(1)
    const failed = (
      json(noCert.stdout) as { steps: { step: string; status: string }[] }
    ).steps.find((s) => s.status === 'fail')
    expect(['tls', 'credentials']).toContain(failed?.step)
  })

  it('signs and publishes over mTLS (NARA_TLS_CERT / NARA_TLS_KEY), acknowledged by the broker', async () => {
    const soulFile = path.join(dir, 'mtls.soul')
    expect((await runNara(['soul', 'new', '--name', 'tilly', '--out', soulFile])).code).toBe(0)
    const r = await runNara(
      ['say', 'hey', '--json', ...tlsArgs(), '--soul-file', soulFile, '--name', 'tilly'],
      {
        env: { NARA_TLS_CERT: pki.clientCertFile, NARA_TLS_KEY: pki.clientKeyFile },
        timeoutMs: 60_000,
      },
    )
    expect(r.stderr).toBe('')
    expect(r.code).toBe(0)
    expect(json(r.stdout)).toMatchObject({ sent: true, kind: 'hey_there', from: 'tilly' })
  })

  it('a certificate without its key is a config error naming both flags', async () => {
    const r = await runNara(['who', ...tlsArgs(), '--cert', pki.clientCertFile])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain(
      '- --cert: a client certificate needs both the certificate (--cert / NARA_TLS_CERT) and its key (--key / NARA_TLS_KEY)',
    )
  })
})
