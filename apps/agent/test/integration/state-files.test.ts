import { chmodSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnAgent, stopAgent } from '../helpers/agent-process.js'
import { logLines } from '../helpers/log-lines.js'

const ALICE_SOUL = '9u2KM5Lw9wB1qaK3S46B4cWHTcpbCPG19wgWG9i233fX87HCA4bLYoG'
const KEY = '5W+Bh9paCZbmdobQaM4vmNHyOkmE5CbpwvFq59Hkyek='

describe('state files at start', () => {
  let broker: TestBroker
  beforeAll(async () => {
    broker = await startAedes()
  })
  afterAll(async () => {
    await broker?.close()
  })

  it('keeps a corrupt keyring.json and state.json aside, warns once each and counts them', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-corrupt-'))
    // A keyring that is JSON but not a keyring (one pin with a bad key): 2 pins lost.
    const badKeyring = JSON.stringify({ bob: KEY, carol: 'not-a-key' })
    writeFileSync(join(dataDir, 'keyring.json'), badKeyring)
    writeFileSync(join(dataDir, 'state.json'), '{"firstStartS": 12, "sta')
    const agent = await spawnAgent({ brokerUrl: broker.url, dataDir, env: { NARA_ID: 'dora' } })
    try {
      await agent.waitFor((s) => s.me?.name === 'dora')
      const files = readdirSync(dataDir)
      const keptKeyring = files.find((f) => f.startsWith('keyring.json.corrupt-'))
      const keptState = files.find((f) => f.startsWith('state.json.corrupt-'))
      expect(keptKeyring).toMatch(/^keyring\.json\.corrupt-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/)
      expect(readFileSync(join(dataDir, keptKeyring!), 'utf8')).toBe(badKeyring)
      expect(readFileSync(join(dataDir, keptState!), 'utf8')).toBe('{"firstStartS": 12, "sta')
      const metrics = await (await fetch(`http://127.0.0.1:${agent.httpPort}/metrics`)).text()
      expect(metrics).toContain('nara_state_files_corrupt_total{file="keyring",nara="dora"} 1')
      expect(metrics).toContain('nara_state_files_corrupt_total{file="state",nara="dora"} 1')
    } finally {
      await stopAgent(agent)
    }
    const warnings = logLines(agent.output()).filter(
      (l) => l.level === 40 && /was (corrupt|unreadable)/.test(l.msg),
    )
    expect(warnings).toHaveLength(2)
    expect(warnings.find((w) => w.msg.startsWith('keyring.json'))?.pinsLost).toBe(2)
    // The new files are written beside the kept ones, never over them.
    expect(JSON.parse(readFileSync(join(dataDir, 'state.json'), 'utf8')).starts).toBe(1)
  }, 60_000)

  it('an unreadable keyring is counted as such', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'nara-corrupt-'))
    writeFileSync(join(dataDir, 'keyring.json'), '{"bob": "5W+Bh9')
    const agent = await spawnAgent({ brokerUrl: broker.url, dataDir, env: { NARA_ID: 'erin' } })
    try {
      await agent.waitFor((s) => s.me?.name === 'erin')
    } finally {
      await stopAgent(agent)
    }
    expect(agent.output()).toMatch(/"pinsLost":"unreadable"/)
    expect(readdirSync(dataDir).some((f) => f.startsWith('keyring.json.corrupt-'))).toBe(true)
  }, 60_000)

  it('takes the soul and the password from files, and never shows them', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nara-secret-files-'))
    const soulFile = join(dir, 'soul')
    writeFileSync(soulFile, `${ALICE_SOUL}\n`)
    chmodSync(soulFile, 0o600)
    const agent = await spawnAgent({
      brokerUrl: broker.url,
      env: { NARA_ID: 'alice', NARA_SOUL_FILE: soulFile },
    })
    try {
      const status = await agent.waitFor((s) => s.me?.name === 'alice')
      expect(status.me.naraId).toBe('5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8')
    } finally {
      await stopAgent(agent)
    }
    expect(agent.output()).not.toContain(ALICE_SOUL)
    // A soul given from outside is never written to the data directory.
    expect(readdirSync(agent.dataDir)).not.toContain('identity.json')
  }, 60_000)

  it('writes a generated soul 0600', async () => {
    const agent = await spawnAgent({ brokerUrl: broker.url })
    try {
      await agent.waitFor((s) => s.me !== null)
    } finally {
      await stopAgent(agent)
    }
    expect(statSync(join(agent.dataDir, 'identity.json')).mode & 0o777).toBe(0o600)
  }, 60_000)
})
