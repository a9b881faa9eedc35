import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { freePort, makeTestPki, startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnAgent, stopAgent } from '../helpers/agent-process.js'
import { linesOf, runAgent } from '../helpers/agent-run.js'

/**
 * A start the operator can fix ends in one line on stderr naming the variable or file and what to
 * do, exit 2, no stack trace (the stack only at debug level), and leaves no temp file behind.
 * EACCES is not tested directly: the tests may run as root, which ignores permissions; a path
 * under a regular file (ENOTDIR) and a regular file as the directory (EEXIST) take that path.
 */
describe('errors at start name what to fix', () => {
  let broker: TestBroker
  let dir: string
  beforeAll(async () => {
    broker = await startAedes()
    dir = mkdtempSync(join(tmpdir(), 'nara-start-'))
    writeFileSync(join(dir, 'a-file'), 'not a directory\n')
    writeFileSync(join(dir, 'no-cert.pem'), 'hello, I am not a certificate\n')
  })
  afterAll(async () => {
    await broker?.close()
  })

  /** Runs one nara against the broker with `env`; expects one stderr line, exit 2. */
  async function refused(env: Record<string, string>) {
    const dataDir = mkdtempSync(join(dir, 'data-'))
    const run = await runAgent({
      MQTT_HOST: broker.url,
      NARA_DATA_DIR: dataDir,
      NARA_HTTP_PORT: '0',
      NARA_LOG_PRETTY: 'false',
      ...env,
    })
    expect(run.code, run.stderr).toBe(2)
    const lines = linesOf(run.stderr)
    expect(lines, run.stderr).toHaveLength(1)
    expect(run.stderr).not.toMatch(/^\s+at /m)
    // Nothing left in the data directory: no lock, no temp file.
    const left = readdirSync(dataDir).filter((f) => f === 'lock' || f.endsWith('.tmp'))
    expect(left).toEqual([])
    return lines[0]!
  }

  it('NARA_TLS_CA that does not exist', async () => {
    expect(await refused({ MQTT_HOST: 'mqtts://127.0.0.1:1', NARA_TLS_CA: '/nope/ca.crt' })).toBe(
      `nara: NARA_TLS_CA: cannot read "/nope/ca.crt" (no such file or directory); give the path of the broker's CA certificate (PEM)`,
    )
  })

  it('NARA_TLS_CA that holds no certificate', async () => {
    const ca = join(dir, 'no-cert.pem')
    expect(await refused({ MQTT_HOST: 'mqtts://127.0.0.1:1', NARA_TLS_CA: ca })).toBe(
      `nara: NARA_TLS_CA: "${ca}" holds no certificate (no "-----BEGIN CERTIFICATE-----" line); give the broker's CA certificate in PEM form`,
    )
  })

  it('NARA_DATA_DIR under a regular file (ENOTDIR) or a regular file (EEXIST)', async () => {
    const under = join(dir, 'a-file', 'nara')
    expect(await refused({ NARA_DATA_DIR: under })).toBe(
      `nara: NARA_DATA_DIR: cannot use "${under}" as a data directory (a part of the path is not a directory); point NARA_DATA_DIR at a directory this user can write`,
    )
    const file = join(dir, 'a-file')
    expect(await refused({ NARA_DATA_DIR: file })).toMatch(
      /^nara: NARA_DATA_DIR: cannot use ".*a-file" as a data directory \(a file is in the way\)/,
    )
    // A town says the same.
    const town = await runAgent({ NARA_DATA_DIR: file, NARA_HTTP_PORT: '0', NARA_TOWN_SIZE: '1' })
    expect(town.code).toBe(2)
    expect(linesOf(town.stderr)).toEqual([
      expect.stringMatching(
        /^nara: NARA_DATA_DIR: cannot use ".*a-file\/town" as a data directory/,
      ),
    ])
  })

  it('a corrupted identity.json, without quoting it', async () => {
    const dataDir = mkdtempSync(join(dir, 'data-'))
    writeFileSync(join(dataDir, 'identity.json'), '{"soul": "C8GnyXApZYSStetZTdEqvb4Zq')
    const line = await refused({ NARA_DATA_DIR: dataDir })
    expect(line).toBe(
      `nara: ${join(dataDir, 'identity.json')}: not valid JSON (corrupted?); move it away to start as a new nara, or set NARA_SOUL to the soul it held`,
    )
  })

  it('bad values echoed with what is allowed', async () => {
    expect(await refused({ NARA_CHATTINESS: 'abc' })).toBe(
      'nara: invalid configuration: NARA_CHATTINESS: expected an integer 0..100 (got "abc")',
    )
    expect(await refused({ MQTT_HOST: 'foo://x' })).toMatch(
      /^nara: invalid configuration: MQTT_HOST: "foo:\/\/x": unknown scheme "foo:\/\/"/,
    )
    expect(await refused({ MQTT_HOST: 'mqtt://127.0.0.1:99999' })).toMatch(
      /port 99999 is out of range/,
    )
  })

  it('a password without a user is a config error, not a broker problem', async () => {
    const line = await refused({ MQTT_PASS: 'pw-without-user' })
    expect(line).toBe(
      'nara: invalid configuration: MQTT_PASS: a password without a user name (MQTT sends a password only with a user): set MQTT_USER too',
    )
  })

  it('an explicit NARA_HTTP_PORT that is taken, for one nara and for a town', async () => {
    const blocker = await freePort()
    const { createServer } = await import('node:net')
    const server = createServer()
    await new Promise<void>((r) => server.listen(blocker, '127.0.0.1', r))
    try {
      const expected = `nara: NARA_HTTP_PORT: port ${blocker} on 127.0.0.1 is already in use (another nara?); choose a free port, or leave NARA_HTTP_PORT unset to take the next free one`
      expect(await refused({ NARA_HTTP_PORT: String(blocker) })).toBe(expected)
      const dataDir = mkdtempSync(join(dir, 'data-'))
      const town = await runAgent({
        NARA_DATA_DIR: dataDir,
        NARA_HTTP_PORT: String(blocker),
        NARA_TOWN_SIZE: '2',
        NARA_LOG_PRETTY: 'false',
      })
      expect(town.code, town.stderr).toBe(2)
      expect(linesOf(town.stderr)).toEqual([expected])
      const left = readdirSync(join(dataDir, 'town'), { recursive: true }) as string[]
      expect(left.filter((f) => f.endsWith('lock') || f.endsWith('.tmp'))).toEqual([])
    } finally {
      server.close()
    }
  })

  it('shows the stack at debug level only', async () => {
    const run = await runAgent({
      MQTT_HOST: 'mqtts://127.0.0.1:1',
      NARA_TLS_CA: '/nope/ca.crt',
      NARA_DATA_DIR: mkdtempSync(join(dir, 'data-')),
      NARA_HTTP_PORT: '0',
      NARA_LOG_LEVEL: 'debug',
    })
    expect(run.code).toBe(2)
    expect(linesOf(run.stderr)[0]).toMatch(/^nara: NARA_TLS_CA: cannot read/)
    expect(run.stderr).toMatch(/^\s+at /m)
  })
  it('a TLS broker another CA signed: the handshake failure names NARA_TLS_CA', async () => {
    const brokerPki = await makeTestPki(join(dir, 'pki-broker'))
    const otherPki = await makeTestPki(join(dir, 'pki-other'))
    const tlsBroker = await startAedes({
      tls: { caFile: brokerPki.caFile, certFile: brokerPki.certFile, keyFile: brokerPki.keyFile },
    })
    const agent = await spawnAgent({
      brokerUrl: tlsBroker.tlsUrl!,
      env: { NARA_TLS_CA: otherPki.caFile },
    })
    try {
      await expect
        .poll(() => agent.output(), { timeout: 20_000 })
        .toContain('pass the broker CA in NARA_TLS_CA')
      expect(agent.output()).not.toContain('tls.ca')
    } finally {
      await stopAgent(agent)
      await tlsBroker.close()
    }
  }, 60_000)
})
