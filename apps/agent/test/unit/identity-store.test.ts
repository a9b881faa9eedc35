import { mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { loadIdentity, loadRunState, saveRunState } from '../../src/identity-store.js'

const ALICE_SOUL = '9u2KM5Lw9wB1qaK3S46B4cWHTcpbCPG19wgWG9i233fX87HCA4bLYoG'
const dir = () => mkdtempSync(join(tmpdir(), 'nara-id-'))

describe('identity store', () => {
  it('generates a soul on first start, keeps it (0600), and is the same nara after a restart', async () => {
    const d = dir()
    const first = await loadIdentity({ dataDir: d })
    expect(first.source).toBe('generated')
    expect(first.name).toMatch(/^[a-z]+-[a-z]+-\d{3}$/)
    expect(first.bondValid).toBe(true)
    expect(statSync(join(d, 'identity.json')).mode & 0o777).toBe(0o600)
    const again = await loadIdentity({ dataDir: d })
    expect(again).toMatchObject({
      source: 'data-dir',
      name: first.name,
      naraId: first.naraId,
      soulText: first.soulText,
    })
  })

  it('bonds a generated soul to NARA_ID and keeps the name', async () => {
    const d = dir()
    const a = await loadIdentity({ dataDir: d, name: 'jojo' })
    expect(a).toMatchObject({ name: 'jojo', bondValid: true })
    expect((await loadIdentity({ dataDir: d })).name).toBe('jojo')
  })

  it('uses NARA_SOUL without writing it to disk, and matches the WIRE vectors', async () => {
    const d = dir()
    const a = await loadIdentity({ dataDir: d, name: 'alice', soul: ALICE_SOUL })
    expect(a).toMatchObject({
      source: 'env',
      name: 'alice',
      bondValid: true,
      naraId: '5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8',
      publicKeyBase64: '5W+Bh9paCZbmdobQaM4vmNHyOkmE5CbpwvFq59Hkyek=',
    })
    expect(() => statSync(join(d, 'identity.json'))).toThrow()
  })

  it('reports a soul that does not bond to the name', async () => {
    const a = await loadIdentity({ dataDir: dir(), name: 'other', soul: ALICE_SOUL })
    expect(a.bondValid).toBe(false)
  })

  it('refuses a corrupt stored soul instead of falling back', async () => {
    const d = dir()
    writeFileSync(
      join(d, 'identity.json'),
      JSON.stringify({ soul: '3vQB7B6MrGQZaxCuFg4oh', name: 'x' }),
    )
    await expect(loadIdentity({ dataDir: d })).rejects.toMatchObject({ name: 'IdentityFileError' })
  })

  it('counts starts and keeps the first start time', async () => {
    const d = dir()
    const s1 = await loadRunState(d, 100)
    expect(s1).toEqual({ firstStartS: 100, starts: 1, totalUptimeS: 0 })
    await saveRunState(d, { ...s1, totalUptimeS: 50 })
    expect(await loadRunState(d, 500)).toEqual({ firstStartS: 100, starts: 2, totalUptimeS: 50 })
    expect(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')).starts).toBe(1)
  })

  it('overlapping saves of one file neither fail nor leave an older value (newspaper + stop)', async () => {
    const d = dir()
    const saves = [1, 2, 3].map((starts) =>
      saveRunState(d, { firstStartS: 1, starts, totalUptimeS: starts * 10 }),
    )
    await expect(Promise.all(saves)).resolves.toBeDefined()
    expect(JSON.parse(readFileSync(join(d, 'state.json'), 'utf8')).starts).toBe(3)
    expect(readdirSync(d).filter((f) => f.endsWith('.tmp'))).toEqual([])
  })
})
