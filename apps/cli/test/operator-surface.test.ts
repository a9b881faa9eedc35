/**
 * What an operator reaches for, as real processes: `--version`, `-h` (the broker host where a
 * broker is talked to, help elsewhere; `--help` always), shell completion that bash accepts and
 * completes with, `nara status` against a real HTTP server serving a /status document captured
 * from a running town, and the README's pipe line run from the repository root.
 */
import { execFile } from 'node:child_process'
import { readFileSync } from 'node:fs'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import path from 'node:path'
import { promisify } from 'node:util'
import { freePort, requireBinary } from '@nara/vitest-config/brokers'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { binPath, cleanEnv, cliRoot, runNara } from './helpers/run-cli.js'

const execFileAsync = promisify(execFile)
const repoRoot = path.resolve(cliRoot, '..', '..')
const { version } = JSON.parse(readFileSync(path.join(cliRoot, 'package.json'), 'utf8')) as {
  version: string
}
const fixture = (name: string) => readFileSync(path.join(cliRoot, 'test', 'fixtures', name), 'utf8')

describe('--version and -h', () => {
  it('prints the package version', async () => {
    const r = await runNara(['--version'])
    expect(r).toMatchObject({ code: 0, stdout: `${version}\n` })
  })

  it('-h is help at the top and on offline commands, the broker host on broker commands', async () => {
    const top = await runNara(['-h'])
    expect(top.code).toBe(0)
    expect(top.stdout).toContain('Usage: nara [options] [command]')
    expect((await runNara(['soul', 'new', '-h'])).stdout).toContain('Usage: nara soul new')

    const help = await runNara(['watch', '--help'])
    expect(help.code).toBe(0)
    expect(help.stdout).toMatch(/-h, --mqtt-host <url>/)
    expect(help.stdout).toContain(
      'Here -h is the broker host (as in mosquitto_sub -h); --help shows this help.',
    )
    // `-h` takes the host: an unreachable one fails as a broker error, not as help.
    const host = await runNara(['watch', '-h', 'mqtt://127.0.0.1:9', '--connect-timeout', '5'])
    expect(host.code).toBe(3)
    expect(host.stderr).toContain('cannot reach mqtt://127.0.0.1:9')
  })
})

describe('nara completion', () => {
  it('prints a bash script that bash accepts and that completes commands and flags', async () => {
    const bash = requireBinary('bash', 'bash', process.env.PATH)
    const r = await runNara(['completion', 'bash'])
    expect(r.code).toBe(0)
    await execFileAsync(bash, ['-n', '-c', r.stdout])
    const complete = async (words: string[]) => {
      const script = `source <(${JSON.stringify(process.execPath)} ${JSON.stringify(binPath)} completion bash)
COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')}); COMP_CWORD=${words.length - 1}
_nara; echo "\${COMPREPLY[*]}"`
      const { stdout } = await execFileAsync(bash, ['-c', script], { env: cleanEnv() })
      return stdout.trim().split(' ')
    }
    expect(await complete(['nara', ''])).toEqual(
      expect.arrayContaining(['watch', 'who', 'status', 'soul', 'doctor', 'completion']),
    )
    expect(await complete(['nara', 'w'])).toEqual(['watch', 'who', 'web'])
    expect(await complete(['nara', 'soul', ''])).toEqual(expect.arrayContaining(['inspect', 'new']))
    expect(await complete(['nara', 'watch', '--ra'])).toEqual(['--raw'])
  })

  it('prints zsh and fish scripts that name every command; refuses other shells', async () => {
    const zsh = await runNara(['completion', 'zsh'])
    expect(zsh.stdout.startsWith('#compdef nara\n')).toBe(true)
    const fish = await runNara(['completion', 'fish'])
    for (const name of ['watch', 'who', 'status', 'keyring', 'completion']) {
      expect(zsh.stdout).toContain(name)
      expect(fish.stdout).toContain(`-a ${name}`)
    }
    const bad = await runNara(['completion', 'tcsh'])
    expect(bad.code).toBe(2)
    expect(bad.stderr).toContain('unknown shell "tcsh"')
  })
})

describe('nara status', () => {
  let server: Server
  let base: string
  beforeAll(async () => {
    server = createServer((req, res) => {
      const body =
        req.url === '/status'
          ? fixture('agent-status.json')
          : req.url === '/town/status'
            ? fixture('agent-status-town.json')
            : undefined
      res.writeHead(body ? 200 : 404, { 'content-type': 'application/json' })
      res.end(body ?? '{"error":"not found"}')
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

  it("prints a nara's /status for humans", async () => {
    const r = await runNara(['status', base], { env: { NO_COLOR: '1' } })
    expect(r.code).toBe(0)
    expect(r.stdout).toMatch(/^hyper-fruit-690 {2}connected to mqtt:\/\/127\.0\.0\.1:44453\n/)
    expect(r.stdout).toContain('version 0.2.0-ts · up 23s · chattiness 100 · buzz 46')
    expect(r.stdout).toContain('neighbourhood: 2 ONLINE, 0 OFFLINE, 0 MISSING, 0 hearsay')
    expect(r.stdout).toMatch(/magical-waffle-172 .*ONLINE .*21s ago .*newspaper .*0\.2\.0-ts/)
    expect(r.stdout).toContain('drops: none · reconnects: 0 · key conflicts: 0')
  })

  it("prints a town's /status, and the raw document with --json", async () => {
    const town = await runNara(['status', `http://${base}/town/status`], { env: { NO_COLOR: '1' } })
    expect(town.code).toBe(0)
    expect(town.stdout).toContain('town of 3 on mqtt://127.0.0.1:44453 · each sees 2-2 ONLINE')
    expect(town.stdout).toMatch(/stinky-burger-574 .*yes .*2 ONLINE/)
    const raw = await runNara(['status', base, '--json'])
    expect(JSON.parse(raw.stdout)).toEqual(JSON.parse(fixture('agent-status.json')))
  })

  it('names the agent it cannot reach (exit 3) and a URL that is not a status (exit 3)', async () => {
    const port = await freePort()
    const down = await runNara(['status', `127.0.0.1:${port}`])
    expect(down.code).toBe(3)
    expect(down.stderr).toContain(
      `error: cannot reach the agent at http://127.0.0.1:${port}/status: ECONNREFUSED`,
    )
    expect(down.stderr).toContain('fix: is the agent running?')
    const notFound = await runNara(['status', `http://${base}/nope`])
    expect(notFound.code).toBe(3)
    expect(notFound.stderr).toContain('answered HTTP 404')
  })
})

describe("the README's pipe line", () => {
  it('`pnpm --silent nara soul new --json` from the repository root pipes clean JSON', async () => {
    const readme = readFileSync(path.join(cliRoot, 'README.md'), 'utf8')
    const line = readme.split('\n').find((l) => /--silent nara soul new --json \| jq \.$/.test(l))
    expect(line, 'the README shows the pipe line').toBeDefined()
    const command = line!.replace(/ \| jq \.$/, '')
    const check = `${JSON.stringify(process.execPath)} -e 'const t = require("fs").readFileSync(0, "utf8"); const v = JSON.parse(t); if (typeof v.soul !== "string") process.exit(9); process.stdout.write(t)'`
    const { stdout } = await execFileAsync('sh', ['-c', `${command} | ${check}`], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1' },
      timeout: 240_000,
    })
    expect(stdout.trim().split('\n')).toHaveLength(1)
    expect(JSON.parse(stdout)).toMatchObject({
      name: expect.any(String),
      publicKey: expect.any(String),
    })
  }, 300_000)
})
