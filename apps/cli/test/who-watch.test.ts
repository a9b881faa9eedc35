/**
 * `nara who` takes every verified message as evidence (not only newspapers) and says why when it
 * hears nobody; `nara watch`/`who` warn only about real disconnects and report the reconnect as
 * info. The built binary as a real process against real aedes brokers.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import type { HowdyInput } from '@nara/plaza'
import { naraStatusSchema } from '@nara/protocol/schemas'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NaraProcess, runNara, startNara } from './helpers/run-cli.js'
import { startTownie, TOPICS, type Townie, tamperedHeyThere } from './helpers/town.js'

let broker: TestBroker
let dir: string
const townies: Townie[] = []
const processes: NaraProcess[] = []
const brokers: TestBroker[] = []

beforeAll(async () => {
  broker = await startAedes()
  brokers.push(broker)
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-who-'))
  for (const name of ['alice', 'bob', 'carol']) townies.push(await startTownie(broker.url, name))
})
afterAll(async () => {
  for (const p of processes) await p.stop()
  for (const t of townies) await t.plaza.stop()
  for (const b of brokers) await b.close()
  rmSync(dir, { recursive: true, force: true })
})

const town = (name: string) => townies.find((t) => t.name === name)!
const env = (url: string, extra: Record<string, string> = {}) => ({
  MQTT_HOST: url,
  NARA_DATA_DIR: path.join(dir, 'no-agent'),
  NO_COLOR: '1',
  ...extra,
})
const start = (args: string[], extraEnv: Record<string, string>) => {
  const p = startNara(args, { env: extraEnv })
  processes.push(p)
  return p
}
const json = (line: string) => JSON.parse(line) as Record<string, unknown>

describe('nara who: every verified message is evidence', () => {
  it('lists three naras that spoke only hey_there, howdy and a tease (no newspaper)', async () => {
    const pins = Object.fromEntries(townies.map((t) => [t.name, t.publicKey]))
    const keyring = path.join(dir, 'pins.json')
    writeFileSync(keyring, JSON.stringify(pins))
    const who = start(['who', '--json', '--wait', '120', '--keyring', keyring], env(broker.url))
    await who.waitForStderr('until all 3 pinned naras are heard')

    expect(await town('alice').plaza.sayHeyThere()).toBe(true)
    const bob = town('bob')
    const me = { ...naraStatusSchema.parse({}), PublicKey: bob.publicKey, Chattiness: 17 }
    expect(
      await bob.plaza.publishHowdy({
        to: 'alice',
        seq: 1,
        you: {},
        neighbors: null,
        me: me as HowdyInput['me'],
      }),
    ).toBe(true)
    expect(
      await town('carol').plaza.publishSocial({
        type: 'tease',
        actor: 'carol',
        target: 'alice',
        reason: 'comeback',
      }),
    ).toBe(true)

    // It ends as soon as the three pinned naras were heard, well before --wait.
    expect(await who.exited).toBe(0)
    const rows = who.lines.map(json)
    expect(rows.map((r) => [r.name, r.state, r.lastEvidence, r.heartbeatAgeMs])).toEqual([
      ['alice', 'ONLINE', 'hey_there', null],
      ['bob', 'ONLINE', 'howdy', null],
      ['carol', 'ONLINE', 'social', null],
    ])
    expect(rows[1]).toMatchObject({ chattiness: 17, messages: 1, trust: 'pinned' })
    expect(rows[0]!.lastHeardAgeMs).toEqual(expect.any(Number))
  })

  it('hears nobody on a silent broker: exit 1, stdout empty, why and what to try on stderr', async () => {
    const silent = await startAedes()
    brokers.push(silent)
    const r = await runNara(['who', '--wait', '1'], { env: env(silent.url) })
    expect(r.code).toBe(1)
    expect(r.stdout).toBe('')
    expect(r.stderr).toContain(`warning: nobody spoke on ${silent.url} in 1 s`)
    expect(r.stderr).toContain('no plaza message at all arrived')
    expect(r.stderr).toMatch(/ {2}try: nara who --wait 300 /)
    expect(r.stderr).toMatch(/ {2}try: nara doctor /)
    expect(r.stderr).not.toContain('disconnected')
  })

  it('says what was dropped when messages came but none verified', async () => {
    const quiet = await startAedes()
    brokers.push(quiet)
    const forger = await startTownie(quiet.url, 'dora')
    townies.push(forger)
    const who = start(['who', '--wait', '10'], env(quiet.url))
    await who.waitForStderr('listening on')
    expect(await forger.plaza.publish(TOPICS.heyThere, tamperedHeyThere(forger))).toBe(true)
    expect(await who.exited).toBe(1)
    expect(who.lines).toEqual([])
    expect(who.stderr()).toContain('1 message(s) arrived but none verified (dropped: bad-id 1)')
  })
})

describe('connection notes of long-running commands', () => {
  it('no disconnect warning on normal completion or Ctrl-C', async () => {
    const once = start(['watch', '--count', '1', '--from', 'alice'], env(broker.url))
    await once.waitForStderr('watching')
    await town('alice').plaza.sayHeyThere()
    expect(await once.exited).toBe(0)
    expect(once.stderr()).not.toMatch(/warning|disconnected/)

    const interrupted = start(['watch'], env(broker.url))
    await interrupted.waitForStderr('watching')
    expect(await interrupted.stop()).toBe(0)
    expect(interrupted.stderr()).not.toMatch(/warning|disconnected/)

    // Interrupted before anyone spoke: not a "nobody spoke" verdict, and no warning.
    const who = start(['who', '--wait', '120'], env(broker.url))
    await who.waitForStderr('listening on')
    expect(await who.stop()).toBe(0)
    expect(who.stderr()).not.toMatch(/warning|disconnected/)
    expect(who.stderr()).toContain('info: interrupted before anyone was heard')
  })

  it('warns about a real disconnect and reports the reconnect as info', async () => {
    const flaky = await startAedes()
    brokers.push(flaky)
    const watcher = start(['watch', '--json'], env(flaky.url))
    await watcher.waitForStderr('watching')
    await flaky.restart()
    await watcher.waitForStderr(`warning: disconnected from ${flaky.url}`)
    await watcher.waitForStderr(`info: reconnected to ${flaky.url}`)
    expect(watcher.stderr()).not.toContain('warning: reconnected')
    expect(await watcher.stop()).toBe(0)
    expect(watcher.stderr().match(/disconnected/g)).toHaveLength(1)
  })
})

describe('nara watch --raw', () => {
  it('captures what nara verify --batch reads: the round trip gives the verdicts', async () => {
    const capture = start(['watch', '--raw', '--count', '3', '-t', 'nara/plaza/#'], env(broker.url))
    await capture.waitForStderr('capturing')
    expect(await town('alice').plaza.sayHeyThere()).toBe(true)
    await capture.waitForLine((l) => l.includes('"topic":"nara/plaza/hey_there"'))
    expect(await town('bob').plaza.publish(TOPICS.heyThere, tamperedHeyThere(town('bob')))).toBe(
      true,
    )
    await capture.waitForLine(() => capture.lines.length >= 2)
    expect(await town('carol').plaza.sayChau()).toBe(true)
    expect(await capture.exited).toBe(0)
    const lines = capture.lines.map(json)
    expect(lines.map((l) => l.topic)).toEqual([TOPICS.heyThere, TOPICS.heyThere, TOPICS.chau])
    expect(lines[0]).toEqual({
      time: expect.any(String),
      topic: TOPICS.heyThere,
      payload_b64: expect.stringMatching(/^[A-Za-z0-9+/]+=*$/),
    })

    const verified = await runNara(['verify', '--batch'], {
      stdin: `${capture.lines.join('\n')}\n`,
    })
    expect(verified.code).toBe(1)
    expect(verified.stdout.trim().split('\n').map(json)).toEqual([
      { verdict: 'accept', reason: null, from: 'alice' },
      { verdict: 'reject', reason: 'bad-id', from: expect.anything() },
      { verdict: 'accept', reason: null, from: 'carol' },
    ])
  })

  it('refuses --from and --json with --raw (nothing is verified)', async () => {
    const r = await runNara(['watch', '--raw', '--from', 'alice'], { env: env(broker.url) })
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('--from does not go with --raw')
  })
})
