import { execFile, spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { describe, expect, it } from 'vitest'

const repo = fileURLToPath(new URL('../../../../', import.meta.url))
/** The agent and every workspace package it needs at run time. */
const PACKAGES = [
  'packages/protocol',
  'packages/crypto',
  'packages/plaza',
  'packages/web',
  'apps/agent',
]
const PNPM = ['-y', 'pnpm@10.34.9']
/** Async, so the test worker keeps answering vitest during the minute an install takes. */
const run = promisify(execFile)

/**
 * `nara-agent` outside the repo: the packed tarballs of the agent and its @nara/* packages,
 * installed together into an empty directory with npm, run as a bin. Third-party packages come
 * from npm's cache or the registry.
 */
describe('the packed agent installed into an empty directory', () => {
  it('runs nara-agent --version and --help (exit 0, no connection)', async () => {
    const packs = mkdtempSync(join(tmpdir(), 'nara-packs-'))
    for (const dir of PACKAGES) {
      await run('npx', [...PNPM, 'pack', '--pack-destination', packs], { cwd: join(repo, dir) })
    }
    const tarballs = readdirSync(packs).filter((f) => f.endsWith('.tgz'))
    expect(tarballs).toHaveLength(PACKAGES.length)
    const home = mkdtempSync(join(tmpdir(), 'nara-install-'))
    await run(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...tarballs.map((t) => join(packs, t)),
      ],
      { cwd: home },
    )
    const bin = join(home, 'node_modules', '.bin', 'nara-agent')
    const env = { PATH: process.env.PATH ?? '', HOME: home }
    const version = spawnSync(bin, ['--version'], { encoding: 'utf8', env, timeout: 20_000 })
    const own = JSON.parse(readFileSync(join(repo, 'apps/agent/package.json'), 'utf8')).version
    expect(version.stdout).toBe(`nara-agent ${own}\n`)
    expect(version.status).toBe(0)
    const help = spawnSync(bin, ['--help'], { encoding: 'utf8', env, timeout: 20_000 })
    expect(help.stdout).toMatch(/^Usage: nara-agent \[--help \| --version\]$/m)
    expect(help.status).toBe(0)
  }, 300_000)
})
