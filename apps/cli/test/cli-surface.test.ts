/**
 * The command surface, in-process with fake I/O: every command has --help with examples,
 * --version, colour rules, usage errors on stderr with a fix line, and small pure helpers.
 */
import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runCli } from '../src/cli.js'
import { topicMatches } from '../src/commands/watch.js'
import type { CliContext } from '../src/context.js'
import { keyringFromObject } from '../src/keyring-file.js'
import { createIo, formatAge } from '../src/output.js'

function fakeContext(options: { tty?: boolean; noColor?: boolean; env?: CliContext['env'] } = {}) {
  let out = ''
  let err = ''
  const stdout = {
    isTTY: options.tty ?? false,
    write: (s: string) => {
      out += s
      return true
    },
  }
  const stderr = {
    isTTY: options.tty ?? false,
    write: (s: string) => {
      err += s
      return true
    },
  }
  const stdin = new PassThrough()
  stdin.end()
  const ctx: CliContext = {
    io: createIo({ stdin, stdout, stderr, noColor: options.noColor ?? false }),
    env: options.env ?? {},
    version: '9.9.9',
    signal: new AbortController().signal,
    exitCode: 0,
  }
  return { ctx, out: () => out, err: () => err }
}

const run = async (args: string[], options?: Parameters<typeof fakeContext>[0]) => {
  const f = fakeContext(options)
  const code = await runCli(['node', 'nara', ...args], f.ctx)
  return { code, stdout: f.out(), stderr: f.err() }
}

const COMMANDS = [
  ['watch'],
  ['who'],
  ['tease'],
  ['say'],
  ['say', 'hey'],
  ['say', 'chau'],
  ['verify'],
  ['soul'],
  ['soul', 'inspect'],
  ['soul', 'new'],
  ['keyring'],
  ['keyring', 'show'],
  ['keyring', 'export'],
  ['status'],
  ['doctor'],
  ['completion'],
]

describe('nara --help and --version', () => {
  it.each(COMMANDS.map((c) => [c.join(' '), c]))(
    '%s --help shows usage and examples',
    async (_, cmd) => {
      const r = await run([...cmd, '--help'])
      expect(r.code).toBe(0)
      expect(r.stdout).toContain(`Usage: nara ${cmd.join(' ')}`)
      expect(r.stdout).toMatch(/Examples:\n {2}# .+\n {2}\$ .*nara /)
    },
  )

  it('lists every command at the top level', async () => {
    const r = await run(['--help'])
    for (const name of [
      'watch',
      'who',
      'tease',
      'say',
      'verify',
      'soul',
      'keyring',
      'status',
      'doctor',
      'completion',
    ]) {
      expect(r.stdout).toMatch(new RegExp(`^ {2}${name}\\b`, 'm'))
    }
  })

  it('prints the version', async () => {
    const r = await run(['--version'])
    expect(r).toMatchObject({ code: 0, stdout: '9.9.9\n' })
  })

  it('reports an unknown command or option on stderr with exit 2', async () => {
    const r = await run(['wach'])
    expect(r.code).toBe(2)
    expect(r.stderr).toContain("unknown command 'wach'")
    expect(r.stdout).toBe('')
    const o = await run(['verify', '--nope'])
    expect(o.code).toBe(2)
    expect(o.stderr).toContain("unknown option '--nope'")
  })

  it('names every bad variable at once, with exit 2 and a fix line', async () => {
    const r = await run(['who'], { env: { MQTT_PORT: 'x', NARA_TLS_INSECURE: 'maybe' } })
    expect(r.code).toBe(2)
    expect(r.stderr).toMatch(
      /error: bad configuration:\n {2}- MQTT_PORT: .*\n {2}- NARA_TLS_INSECURE: /,
    )
    expect(r.stderr).toMatch(/ {2}fix: /)
  })
})

describe('colour', () => {
  it('is used only on a TTY, and never with NO_COLOR', () => {
    const sink = { write: () => true }
    const stdin = new PassThrough()
    const tty = createIo({ stdin, stdout: { ...sink, isTTY: true }, stderr: sink, noColor: false })
    const pipe = createIo({
      stdin,
      stdout: { ...sink, isTTY: false },
      stderr: sink,
      noColor: false,
    })
    const noColor = createIo({
      stdin,
      stdout: { ...sink, isTTY: true },
      stderr: sink,
      noColor: true,
    })
    expect(tty.color.red('x')).not.toBe('x')
    expect(pipe.color.red('x')).toBe('x')
    expect(noColor.color.red('x')).toBe('x')
  })
})

describe('helpers', () => {
  it('matches MQTT topic patterns', () => {
    expect(topicMatches('nara/newspaper/#', 'nara/newspaper/alice')).toBe(true)
    expect(topicMatches('nara/+/chau', 'nara/plaza/chau')).toBe(true)
    expect(topicMatches('nara/plaza/+', 'nara/newspaper/alice')).toBe(false)
    expect(topicMatches('nara/plaza/hey_there', 'nara/plaza/hey_there')).toBe(true)
    expect(topicMatches('nara/plaza', 'nara/plaza/hey_there')).toBe(false)
    expect(topicMatches('#', 'nara/plaza/hey_there')).toBe(true)
  })

  it('refuses keyring entries that are not base64 Ed25519 keys, naming them', () => {
    expect(() =>
      keyringFromObject({ alice: 'nope', bob: 'C6DA8v4mTPHO5MPT9ggoH1Vo70PkFHF9CdOksFRlcq4=' }),
    ).toThrow(/"alice"/)
    expect(() => keyringFromObject(['x'])).toThrow(/JSON object/)
    const k = keyringFromObject({ bob: 'C6DA8v4mTPHO5MPT9ggoH1Vo70PkFHF9CdOksFRlcq4=' })
    expect(k.byName('bob')).toBe('C6DA8v4mTPHO5MPT9ggoH1Vo70PkFHF9CdOksFRlcq4=')
  })

  it('formats ages compactly', () => {
    expect(formatAge(4_200)).toBe('4s')
    expect(formatAge(185_000)).toBe('3m05s')
    expect(formatAge(7_800_000)).toBe('2h10m')
  })
})
