/**
 * The plaza commands as real processes (the built binary) against a real aedes broker started
 * here, with a small town of in-process @nara/plaza clients: watch, who, tease, say.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NaraProcess, runNara, startNara } from './helpers/run-cli.js'
import {
  impersonatingHeyThere,
  resignedHeyThere,
  startTownie,
  TOPICS,
  type Townie,
  tamperedHeyThere,
} from './helpers/town.js'

let broker: TestBroker
let dir: string
let emptyDataDir: string
const townies: Townie[] = []
const processes: NaraProcess[] = []

beforeAll(async () => {
  broker = await startAedes()
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-plaza-'))
  emptyDataDir = path.join(dir, 'empty')
  await mkdir(emptyDataDir)
  for (const name of ['alice', 'bob', 'carol']) townies.push(await startTownie(broker.url, name))
})
afterAll(async () => {
  for (const p of processes) await p.stop()
  for (const t of townies) await t.plaza.stop()
  await broker?.close()
  rmSync(dir, { recursive: true, force: true })
})

const town = (name: string) => townies.find((t) => t.name === name)!
const env = (extra: Record<string, string> = {}) => ({
  MQTT_HOST: broker.url,
  NARA_DATA_DIR: emptyDataDir,
  NO_COLOR: '1',
  ...extra,
})
const start = (args: string[], extra: Record<string, string> = {}) => {
  const p = startNara(args, { env: env(extra) })
  processes.push(p)
  return p
}
const json = (line: string) => JSON.parse(line) as Record<string, unknown>

describe('nara watch', () => {
  it('shows a verified hey_there from a plaza client and drops forged ones with the reason', async () => {
    const watcher = start(['watch', '--json', '--topic', 'nara/plaza/hey_there'])
    await watcher.waitForStderr('watching')
    const alice = town('alice')

    expect(await alice.plaza.sayHeyThere()).toBe(true)
    const verified = json(
      await watcher.waitForLine(
        (l) => json(l).verdict === 'verified' && json(l).sender === 'alice',
      ),
    )
    expect(verified).toMatchObject({ topic: TOPICS.heyThere, kind: 'hey_there', reason: null })
    expect(String(verified.summary)).toMatch(/^hey there \(key [0-9a-f:]+\)$/)

    // mallory speaks as alice with her own key: the watcher pinned alice's key a moment ago.
    expect(
      await town('bob').plaza.publish(
        TOPICS.heyThere,
        impersonatingHeyThere('alice', town('bob').soul),
      ),
    ).toBe(true)
    const conflict = json(await watcher.waitForLine((l) => json(l).reason === 'key-conflict'))
    expect(conflict).toMatchObject({ verdict: 'dropped', sender: 'alice', topic: TOPICS.heyThere })

    // a genuine hey_there changed after signing: its event ID no longer matches the content
    expect(
      await town('carol').plaza.publish(TOPICS.heyThere, tamperedHeyThere(town('carol'))),
    ).toBe(true)
    const tampered = json(await watcher.waitForLine((l) => json(l).reason === 'bad-id'))
    expect(tampered).toMatchObject({ verdict: 'dropped', sender: 'carol' })

    // carol's hey_there with bob's signature
    expect(
      await town('carol').plaza.publish(
        TOPICS.heyThere,
        resignedHeyThere(town('carol'), town('bob')),
      ),
    ).toBe(true)
    const resigned = json(await watcher.waitForLine((l) => json(l).reason === 'bad-signature'))
    expect(resigned).toMatchObject({ verdict: 'dropped', sender: 'carol' })

    expect(await watcher.stop()).toBe(0)
  })

  it('prints readable lines without colour when NO_COLOR is set, and stops after --count', async () => {
    const watcher = start(['watch', '--count', '1', '--from', 'bob'])
    await watcher.waitForStderr('watching')
    await town('alice').plaza.sayHeyThere()
    await town('bob').plaza.sayHeyThere()
    expect(await watcher.exited).toBe(0)
    expect(watcher.lines).toHaveLength(1)
    expect(watcher.lines[0]).toMatch(
      /nara\/plaza\/hey_there\s+bob\s+hey_there\s+hey there .*verified$/,
    )
    expect(watcher.lines[0]).not.toContain('\u001b[')
  })
})

describe('nara who', () => {
  it('lists a small town from its newspapers, comparing keys with the agent pins', async () => {
    const dataDir = path.join(dir, 'who-data')
    await mkdir(dataDir)
    const pins: Record<string, string> = {}
    for (const t of townies) {
      pins[t.name] = t.publicKey
      pins[t.naraId] = t.publicKey
    }
    writeFileSync(path.join(dataDir, 'keyring.json'), JSON.stringify(pins))

    const who = start(['who', '--json', '--wait', '25'], { NARA_DATA_DIR: dataDir })
    await who.waitForStderr('until all 3 pinned naras are heard')
    await town('alice').newspaper({ Chattiness: 42, Buzz: 7, Version: '0.2.0' })
    await town('bob').newspaper({ Chattiness: 10, Buzz: 3, Version: 'ts-0.1.0' })
    await town('carol').newspaper({ Chattiness: 99, Buzz: 0 })
    expect(await who.exited).toBe(0)
    const rows = who.lines.map(json)
    expect(rows.map((r) => r.name)).toEqual(['alice', 'bob', 'carol'])
    expect(rows[0]).toMatchObject({
      state: 'ONLINE',
      chattiness: 42,
      buzz: 7,
      version: '0.2.0',
      publicKey: town('alice').publicKey,
      trust: 'pinned',
    })
    expect(rows[0]!.heartbeatAgeMs).toEqual(expect.any(Number))
    expect(rows[1]).toMatchObject({ chattiness: 10, version: 'ts-0.1.0', trust: 'pinned' })
  })

  it('prints a table for humans', async () => {
    const dataDir = path.join(dir, 'who-table')
    await mkdir(dataDir)
    const bob = town('bob')
    writeFileSync(path.join(dataDir, 'keyring.json'), JSON.stringify({ bob: bob.publicKey }))
    const who = start(['who', '--wait', '25'], { NARA_DATA_DIR: dataDir })
    await who.waitForStderr('until all 1 pinned naras are heard')
    await bob.newspaper({ Chattiness: 55, Buzz: 12, Version: '0.2.0' })
    expect(await who.exited).toBe(0)
    const out = who.lines.join('\n')
    expect(out).toMatch(/name.*state.*heard.*heartbeat.*chattiness.*buzz.*version.*key.*trust/)
    expect(out).toMatch(
      /bob.*ONLINE.*ago \(newspaper\).*ago.*55.*12.*0\.2\.0.*[0-9a-f]{4}:.*pinned/,
    )
    expect(out).toContain('1 online, 1 known')
  })
})

describe('nara say and nara tease', () => {
  it('publish signed messages that arrive verified at a watcher', async () => {
    const made = await runNara(['soul', 'new', '--name', 'lisa', '--json'])
    const lisa = json(made.stdout) as { soul: string; publicKey: string }
    const soulFile = path.join(dir, 'lisa.soul')
    writeFileSync(soulFile, `${lisa.soul}\n`)

    const watcher = start(['watch', '--json', '--from', 'lisa'])
    await watcher.waitForStderr('watching')

    const noName = await runNara(['say', 'hey', '--soul-file', soulFile], { env: env() })
    expect(noName.code).toBe(2)
    expect(noName.stderr).toMatch(/fix: set NARA_ID or pass --name/)

    const hey = await runNara(['say', 'hey', '--soul-file', soulFile, '--name', 'lisa', '--json'], {
      env: env(),
    })
    expect(hey.code).toBe(0)
    expect(json(hey.stdout)).toMatchObject({ sent: true, kind: 'hey_there', from: 'lisa' })
    await watcher.waitForLine((l) => json(l).kind === 'hey_there' && json(l).verdict === 'verified')

    const tease = await runNara(
      ['tease', 'bob', '--reason', 'comeback', '--soul-file', soulFile, '--name', 'lisa'],
      { env: env() },
    )
    expect(tease.code).toBe(0)
    expect(tease.stdout).toMatch(
      /^sent lisa teased bob \(comeback\) \(event [0-9a-f]{12}, acknowledged by mqtt:/,
    )
    const teased = json(await watcher.waitForLine((l) => json(l).kind === 'social'))
    expect(teased).toMatchObject({
      verdict: 'verified',
      sender: 'lisa',
      topic: TOPICS.social,
      summary: 'tease bob (comeback)',
    })

    const chau = await runNara(['say', 'chau', '--soul-file', soulFile], {
      env: env({ NARA_ID: 'lisa' }),
    })
    expect(chau.code).toBe(0)
    const bye = json(await watcher.waitForLine((l) => json(l).kind === 'chau'))
    expect(bye.verdict).toBe('verified')
    expect(await watcher.stop()).toBe(0)
  })

  it('refuses to sign without a soul, saying how to get one', async () => {
    const r = await runNara(['tease', 'bob'], { env: env() })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: no soul configured')
    expect(r.stderr).toMatch(/fix: set NARA_SOUL or pass --soul-file/)
  })

  it('fails with exit 3 and a fix when the broker is unreachable', async () => {
    const made = json((await runNara(['soul', 'new', '--json'])).stdout) as { soul: string }
    const r = await runNara(['say', 'hey', '--connect-timeout', '5'], {
      env: { ...env({ NARA_SOUL: made.soul }), MQTT_HOST: 'mqtt://127.0.0.1:1' },
    })
    expect(r.code).toBe(3)
    expect(r.stderr).toMatch(/error: cannot reach mqtt:\/\/127\.0\.0\.1:1/)
    expect(r.stderr).toContain('fix:')
  })
})
