/** `nara soul inspect|new` as a real process, checked against the shared identity vectors. */

import { identityByName, loadPlazaVectors } from '@nara/vitest-config/vectors'
import { describe, expect, it } from 'vitest'
import { runNara } from './helpers/run-cli.js'

const file = loadPlazaVectors()
const alice = identityByName('alice')
const generated = file.identity.determine_identity[0]!

describe('nara soul inspect', () => {
  it('prints the public key and NaraID and confirms the bond to the given name', async () => {
    const r = await runNara(['soul', 'inspect', alice.soul, '--name', 'alice', '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toEqual({
      name: 'alice',
      nameSource: 'given',
      bond: true,
      publicKey: alice.public_key_base64,
      naraId: alice.nara_id,
      fingerprint: expect.stringMatching(/^[0-9a-f]{4}(:[0-9a-f]{4}){3}$/),
    })
  })

  it('exits 1 when the bond to the name does not hold, on every bond-check vector', async () => {
    for (const check of file.identity.bond_checks) {
      if (check.name === '') continue // --name '' is refused before any check
      const r = await runNara(['soul', 'inspect', '-', '--name', check.name, '--json'], {
        stdin: check.soul,
      })
      if (check.parse_error !== undefined) {
        expect(r.code, check.soul).toBe(2)
        expect(r.stderr).toContain('stdin is not a soul')
        continue
      }
      expect(r.code, check.name).toBe(check.bond_valid ? 0 : 1)
      expect(JSON.parse(r.stdout)).toMatchObject({
        bond: check.bond_valid,
        naraId: check.nara_id_if_computed_anyway,
      })
    }
  }, 120_000) // eight CLI processes one after the other: ~10 s each on a loaded 2-core machine

  it('derives the quirky name when no name is given', async () => {
    const r = await runNara(['soul', 'inspect', generated.result_soul, '--json'])
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: generated.result_name,
      nameSource: 'derived',
      bond: true,
      publicKey: generated.public_key_base64,
      naraId: generated.result_nara_id,
    })
  })

  it('inspects the configured soul (NARA_SOUL + NARA_ID) and never prints the soul', async () => {
    const r = await runNara(['soul', 'inspect'], {
      env: { NARA_SOUL: alice.soul, NARA_ID: 'alice', NO_COLOR: '1' },
    })
    expect(r.code).toBe(0)
    expect(r.stdout).toContain(`nara id      ${alice.nara_id}`)
    expect(r.stdout).toContain('bond         holds')
    expect(r.stdout + r.stderr).not.toContain(alice.soul)
  })

  it('rejects a soul that does not parse with exit 2, without echoing it', async () => {
    const r = await runNara(['soul', 'inspect', '3TVd76EmZ3EikfKeauKwED2fbu1HB7yETYE'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain('error: the soul argument is not a soul')
    expect(r.stderr).toContain('fix:')
    expect(r.stderr).not.toContain('3TVd76EmZ3EikfKeauKwED2fbu1HB7yETYE')
  })
})

describe('nara soul new', () => {
  it('makes a soul bonded to the given name, which inspect confirms', async () => {
    const made = await runNara(['soul', 'new', '--name', 'lisa', '--json'])
    expect(made.code).toBe(0)
    const soul = JSON.parse(made.stdout)
    expect(soul.name).toBe('lisa')
    const r = await runNara(['soul', 'inspect', '-', '--name', 'lisa', '--json'], {
      stdin: soul.soul,
    })
    expect(r.code).toBe(0)
    expect(JSON.parse(r.stdout)).toMatchObject({
      bond: true,
      naraId: soul.naraId,
      publicKey: soul.publicKey,
    })
  })

  it('picks a quirky name when none is given', async () => {
    const made = await runNara(['soul', 'new', '--json'])
    const soul = JSON.parse(made.stdout)
    expect(soul.name).toMatch(/^[a-z]+-[a-z]+-\d{3}$/)
    const r = await runNara(['soul', 'inspect', soul.soul, '--json'])
    expect(JSON.parse(r.stdout)).toMatchObject({
      name: soul.name,
      nameSource: 'derived',
      bond: true,
    })
  })
})
