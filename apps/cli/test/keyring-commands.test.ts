/**
 * `nara keyring show|export` on an agent's data directory as the agent lays it out: a single
 * nara's `keyring.json`, a town's shared `town/keyring.json` with its naras in `town/nara-<i>/`,
 * or both; and `watch`/`who` starting from those pins. The built binary as a real process.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { mkdir } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import path from 'node:path'
import {
  computeNaraId,
  encodeSoul,
  generateSoul,
  keypairFromSoul,
  publicKeyBase64,
} from '@nara/crypto'
import { startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type NaraProcess, runNara, startNara } from './helpers/run-cli.js'

let broker: TestBroker
let dir: string
const processes: NaraProcess[] = []

beforeAll(async () => {
  broker = await startAedes()
  dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-keyring-'))
})
afterAll(async () => {
  for (const p of processes) await p.stop()
  await broker?.close()
  rmSync(dir, { recursive: true, force: true })
})

/** A nara's identity, as the agent stores it (no broker needed). */
const identities = Object.fromEntries(
  ['alice', 'bob', 'carol'].map((name) => {
    const { soul } = generateSoul(name)
    const nara = {
      name,
      soulText: encodeSoul(soul),
      naraId: computeNaraId(soul, name),
      publicKey: publicKeyBase64(keypairFromSoul(soul).publicKey),
    }
    return [name, nara]
  }),
)
const town = (name: string) => identities[name]!
const start = (args: string[], extra: Record<string, string> = {}) => {
  const p = startNara(args, { env: { MQTT_HOST: broker.url, NO_COLOR: '1', ...extra } })
  processes.push(p)
  return p
}
const json = (line: string) => JSON.parse(line) as Record<string, unknown>

describe('nara keyring', () => {
  it('shows and exports the pins an agent keeps in its data directory', async () => {
    const dataDir = path.join(dir, 'agent-data')
    await mkdir(dataDir)
    const alice = town('alice')
    const pins = {
      [alice.naraId]: alice.publicKey,
      alice: alice.publicKey,
      bob: town('bob').publicKey,
    }
    writeFileSync(path.join(dataDir, 'keyring.json'), JSON.stringify(pins))

    const shown = await runNara(['keyring', 'show', '--json'], { env: { NARA_DATA_DIR: dataDir } })
    expect(shown.code).toBe(0)
    expect(shown.stdout.trim().split('\n').map(json)).toEqual([
      {
        names: ['alice'],
        naraIds: [alice.naraId],
        publicKey: alice.publicKey,
        fingerprint: expect.any(String),
        keeper: 'nara',
        file: path.join(dataDir, 'keyring.json'),
        ownNara: null,
      },
      {
        names: ['bob'],
        naraIds: [],
        publicKey: town('bob').publicKey,
        fingerprint: expect.any(String),
        keeper: 'nara',
        file: path.join(dataDir, 'keyring.json'),
        ownNara: null,
      },
    ])

    const table = await runNara(['keyring', 'show'], {
      env: { NARA_DATA_DIR: dataDir, NO_COLOR: '1' },
    })
    expect(table.stdout).toContain('2 key(s), 3 pin(s)')

    const exported = await runNara(['keyring', 'export', '--data-dir', dataDir])
    expect(JSON.parse(exported.stdout)).toEqual(pins)

    const missing = await runNara(['keyring', 'show'], {
      env: { NARA_DATA_DIR: path.join(dir, 'nowhere') },
    })
    expect(missing.code).toBe(2)
    expect(missing.stderr).toMatch(
      /error: no keyring at .*nowhere\/keyring.json \(a nara\) or .*nowhere\/town\/keyring.json \(a town\)/,
    )
  })
})

describe('nara keyring in a town data directory', () => {
  it("shows the town's shared pins with its naras, and both when a nara lives there too", async () => {
    const dataDir = path.join(dir, 'town-data')
    const townDir = path.join(dataDir, 'town')
    const [alice, bob] = [town('alice'), town('bob')]
    for (const [i, t] of [alice, bob].entries()) {
      await mkdir(path.join(townDir, `nara-${i + 1}`), { recursive: true })
      // The agent's identity.json holds the soul too: nara keyring reads only the name.
      writeFileSync(
        path.join(townDir, `nara-${i + 1}`, 'identity.json'),
        JSON.stringify({ soul: t.soulText, name: t.name }),
      )
    }
    const townPins = { alice: alice.publicKey, bob: bob.publicKey, carol: town('carol').publicKey }
    writeFileSync(path.join(townDir, 'keyring.json'), JSON.stringify(townPins))

    const shown = await runNara(['keyring', 'show', '--data-dir', dataDir], {
      env: { NO_COLOR: '1' },
    })
    expect(shown.code).toBe(0)
    expect(shown.stdout).toContain("the town's pins, shared by its 2 nara(s): alice, bob")
    expect(shown.stdout).toMatch(/alice \(town\)/)
    expect(shown.stdout).toContain(`3 key(s), 3 pin(s) in ${path.join(townDir, 'keyring.json')}`)
    expect(shown.stdout).not.toContain(alice.soulText)

    const asJson = await runNara(['keyring', 'show', '--json'], { env: { NARA_DATA_DIR: dataDir } })
    const rows = asJson.stdout.trim().split('\n').map(json)
    expect(rows.map((r) => [r.names, r.keeper, r.ownNara])).toEqual([
      [['alice'], 'town', 'alice'],
      [['bob'], 'town', 'bob'],
      [['carol'], 'town', null],
    ])

    // A single nara in the same data directory: both keyrings, the nara's first.
    writeFileSync(path.join(dataDir, 'keyring.json'), JSON.stringify({ dora: alice.publicKey }))
    const both = await runNara(['keyring', 'show', '--json'], { env: { NARA_DATA_DIR: dataDir } })
    expect(
      both.stdout
        .trim()
        .split('\n')
        .map((l) => json(l).keeper),
    ).toEqual(['nara', 'town', 'town', 'town'])
    const onlyTown = await runNara(['keyring', 'export', '--town', '--data-dir', dataDir])
    expect(JSON.parse(onlyTown.stdout)).toEqual(townPins)
    const exported = await runNara(['keyring', 'export', '--data-dir', dataDir])
    expect(JSON.parse(exported.stdout)).toEqual({ dora: alice.publicKey })
    expect(exported.stderr).toContain("the town's pins: --town")
  })

  it('watch and who start from the town pins too', async () => {
    const dataDir = path.join(dir, 'town-pins-only')
    await mkdir(path.join(dataDir, 'town'), { recursive: true })
    writeFileSync(
      path.join(dataDir, 'town', 'keyring.json'),
      JSON.stringify({ bob: town('bob').publicKey }),
    )
    const who = start(['who', '--wait', '60'], { NARA_DATA_DIR: dataDir })
    await who.waitForStderr(
      `until all 1 pinned naras are heard (pins from ${path.join(dataDir, 'town', 'keyring.json')})`,
    )
    expect(await who.stop()).toBe(0)
  })
})
