import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { ConfigError, loadConfig, redactUrl } from '../../src/config.js'

const SOUL = 'C8GnyXApZYSStetZTdEqvb4ZqBvqG9Ez1QF5jtb2PmpFMxkLrWQXJf2'

describe('loadConfig', () => {
  it('runs a town with defaults when no broker is configured', () => {
    const c = loadConfig({}, { homeDir: '/home/x' })
    expect(c.mode).toBe('town')
    expect(c.broker).toBeUndefined()
    expect(c.dataDir).toBe('/home/x/.nara-plaza')
    expect(c.town.size).toBe(7)
    expect(c.http).toEqual({ host: '127.0.0.1', port: 9632, fallbackPorts: 16 })
    expect(c.timings.missingAfterS).toBe(300)
    expect(c.timings.gossipMissingAfterS).toBe(3600)
    expect(c.timings.joinJitterMaxMs).toBe(5000)
    expect(c.timings.checkpointEveryS).toBe(86_400)
  })

  it('runs a single nara against MQTT_HOST, filling the port from MQTT_PORT', () => {
    const c = loadConfig({
      MQTT_HOST: 'tcp://broker.local',
      MQTT_PORT: '1999',
      MQTT_USER: 'u',
      MQTT_PASS: 'p',
    })
    expect(c.mode).toBe('single')
    expect(c.broker).toMatchObject({ url: 'tcp://broker.local:1999', username: 'u', password: 'p' })
  })

  it('keeps the port of the URL over MQTT_PORT, and defaults per scheme', () => {
    expect(loadConfig({ MQTT_HOST: 'mqtt://h:1234', MQTT_PORT: '1' }).broker?.url).toBe(
      'mqtt://h:1234',
    )
    expect(loadConfig({ MQTT_HOST: 'tls://h' }).broker?.url).toBe('tls://h:8883')
    expect(loadConfig({ MQTT_HOST: 'h' }).broker?.url).toBe('tcp://h:1883')
  })

  it('treats empty variables as unset, like Go', () => {
    expect(loadConfig({ MQTT_HOST: '', NARA_ID: ' ' }).mode).toBe('town')
  })

  it('names every bad variable at once', () => {
    const env = {
      MQTT_HOST: 'gopher://x',
      MQTT_PORT: 'abc',
      NARA_CHATTINESS: '101',
      NARA_HTTP_PORT: '-1',
      NARA_TLS_INSECURE: 'maybe',
      NARA_ID: 'a/b',
      NARA_SOUL: 'not-valid-base58!!!',
    }
    try {
      loadConfig(env)
      expect.unreachable()
    } catch (err) {
      expect((err as Error).name).toBe('ConfigError')
      const vars = (err as ConfigError).issues.map((i) => i.split(':')[0])
      expect(vars.sort()).toEqual(Object.keys(env).sort())
    }
  })

  it('refuses a NARA_ID a NATS broker cannot carry, saying why (docs/BROKERS.md)', () => {
    for (const name of ['señor.ñandú', 'with space', 'tab\tname', 'a/b', 'a+b', 'a#b']) {
      expect(() => loadConfig({ NARA_ID: name })).toThrow(/NARA_ID: .*NATS broker cannot carry/)
    }
    expect(loadConfig({ NARA_ID: 'señor-ñandú' }).name).toBe('señor-ñandú')
  })

  it('refuses an unparseable soul instead of falling back (WIRE §12.20)', () => {
    expect(() => loadConfig({ NARA_SOUL: '3vQB7B6MrGQZaxCuFg4oh' })).toThrow(/NARA_SOUL/)
    expect(() => loadConfig({ NARA_SOUL: SOUL }, { isValidSoul: () => false })).toThrow(/NARA_SOUL/)
    expect(loadConfig({ NARA_SOUL: SOUL }).soul).toBe(SOUL)
  })

  it('parses the test knobs', () => {
    const c = loadConfig({
      NARA_MISSING_AFTER_S: '5',
      NARA_NEWSPAPER_PERIOD_S: '2',
      NARA_JOIN_JITTER_MAX_MS: '0',
      NARA_CHECKPOINT_EVERY_S: '3',
      NARA_TOWN_SIZE: '12',
      NARA_TLS_INSECURE: 'true',
      NARA_CHATTINESS: '100',
    })
    expect(c.timings).toMatchObject({
      missingAfterS: 5,
      newspaperPeriodS: 2,
      joinJitterMaxMs: 0,
      checkpointEveryS: 3,
    })
    expect(c.town.size).toBe(12)
    expect(c.chattiness).toBe(100)
  })
})

describe('redactUrl', () => {
  it('drops credentials from broker URLs', () => {
    expect(redactUrl('mqtt://user:secret@h:1883')).toBe('mqtt://h:1883')
  })
})

describe('MQTT_HOST as a list of brokers', () => {
  it('accepts a comma-separated list, each entry with its default port', () => {
    const c = loadConfig({ MQTT_HOST: 'mqtt://a:1884, tcp://b ,tls://c' })
    expect(c.broker?.urls).toEqual(['mqtt://a:1884', 'tcp://b:1883', 'tls://c:8883'])
    expect(c.broker?.url).toBe('mqtt://a:1884')
    expect(loadConfig({ MQTT_HOST: 'h' }).broker?.urls).toEqual(['tcp://h:1883'])
  })

  it('names the variable and the bad entry in one line, never its credentials', () => {
    for (const [value, shown] of [
      ['mqtt://a:1883,nope://b', '"nope://b"'],
      ['mqtt://a:1883,,mqtt://b', 'an empty entry'],
      ['mqtt://a,gopher://user:hunter2@b', '"gopher://b"'],
    ] as const) {
      let error: unknown
      try {
        loadConfig({ MQTT_HOST: value })
      } catch (err) {
        error = err
      }
      expect(error).toBeInstanceOf(ConfigError)
      const issues = (error as ConfigError).issues
      expect(issues).toHaveLength(1)
      expect(issues[0]).toMatch(/^MQTT_HOST: /)
      expect(issues[0]).toContain(shown)
      expect(issues[0]).not.toContain('hunter2')
      expect(issues[0]).not.toContain('\n')
    }
  })
})

describe('NARA_MODE', () => {
  it('runs a town against MQTT_HOST when asked, and refuses single without a broker', () => {
    expect(loadConfig({ MQTT_HOST: 'mqtt://h:1', NARA_MODE: 'town' }).mode).toBe('town')
    expect(() => loadConfig({ NARA_MODE: 'single' })).toThrow(/NARA_MODE/)
  })
})

/** The issues of a config that must fail. */
function issuesOf(env: Record<string, string>): readonly string[] {
  try {
    loadConfig(env)
  } catch (err) {
    expect((err as Error).name).toBe('ConfigError')
    return (err as ConfigError).issues
  }
  return expect.unreachable('the configuration was accepted')
}

describe('config messages echo the bad value and say what is allowed (as the CLI does)', () => {
  it.each([
    ['NARA_CHATTINESS', 'abc', 'NARA_CHATTINESS: expected an integer 0..100 (got "abc")'],
    ['NARA_CHATTINESS', '101', 'NARA_CHATTINESS: expected an integer 0..100 (got "101")'],
    ['NARA_HTTP_PORT', '70000', 'NARA_HTTP_PORT: expected a port number 0..65535 (got "70000")'],
    ['MQTT_PORT', 'x', 'MQTT_PORT: expected a port number 1..65535 (got "x")'],
    [
      'NARA_LOG_LEVEL',
      'loud',
      'NARA_LOG_LEVEL: expected one of trace, debug, info, warn, error, fatal, silent (got "loud")',
    ],
    [
      'MQTT_HOST',
      'foo://x',
      'MQTT_HOST: "foo://x": unknown scheme "foo://" (use mqtt://, tcp://, mqtts://, ssl://, tls://, ws://, wss://)',
    ],
    [
      'MQTT_HOST',
      'mqtt://127.0.0.1:99999',
      'MQTT_HOST: "mqtt://127.0.0.1:99999": port 99999 is out of range (expected a port number 1..65535)',
    ],
  ])('%s=%s', (variable, value, line) => {
    expect(issuesOf({ [variable]: value })).toEqual([line])
  })

  it('prints one issue as one line', () => {
    expect(() => loadConfig({ NARA_CHATTINESS: 'abc' })).toThrow(
      /^invalid configuration: NARA_CHATTINESS: expected an integer 0\.\.100 \(got "abc"\)$/,
    )
  })

  it('never echoes a secret: the soul, the password, the credentials of a URL', () => {
    const issues = issuesOf({
      NARA_SOUL: 'hunter2-not-a-soul',
      MQTT_HOST: 'gopher://u:hunter3@h',
    }).join('\n')
    expect(issues).toContain('NARA_SOUL: not a soul')
    expect(issues).not.toMatch(/hunter[23]/)
  })
})

describe('a password without a user', () => {
  it('is a config error naming the cause, wherever the password comes from', () => {
    expect(issuesOf({ MQTT_HOST: 'mqtt://h', MQTT_PASS: 'secret-pw' })).toEqual([
      'MQTT_PASS: a password without a user name (MQTT sends a password only with a user): set MQTT_USER too',
    ])
    expect(issuesOf({ MQTT_HOST: 'mqtt://:secret-pw@h' })[0]).toMatch(/^MQTT_HOST: a password/)
    expect(
      loadConfig({ MQTT_HOST: 'mqtt://h', MQTT_USER: 'u', MQTT_PASS: 'p' }).broker,
    ).toMatchObject({ username: 'u', password: 'p' })
  })
})

describe('secrets from files: NARA_SOUL_FILE, MQTT_PASS_FILE', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nara-config-'))
  const file = (name: string, text: string, mode = 0o600) => {
    const path = join(dir, name)
    writeFileSync(path, text)
    chmodSync(path, mode)
    return path
  }

  it('reads the soul and the password (one trailing newline dropped)', () => {
    const c = loadConfig({
      MQTT_HOST: 'mqtt://h',
      MQTT_USER: 'u',
      MQTT_PASS_FILE: file('pass', 'pa ss\n'),
      NARA_SOUL_FILE: file('soul', `${SOUL}\n`),
    })
    expect(c.soul).toBe(SOUL)
    expect(c.broker?.password).toBe('pa ss')
    expect(c.warnings).toEqual([])
  })

  it('names the variable and the path, never the contents', () => {
    const notASoul = file('not-a-soul', 'hunter2hunter2')
    const issues = issuesOf({
      MQTT_HOST: 'mqtt://h',
      MQTT_USER: 'u',
      MQTT_PASS_FILE: join(dir, 'missing'),
      NARA_SOUL_FILE: notASoul,
    })
    expect(issues).toEqual([
      `NARA_SOUL_FILE: "${notASoul}" does not hold a soul (base58 text of 40 bytes); refusing to fall back to a shared key`,
      `MQTT_PASS_FILE: cannot read "${join(dir, 'missing')}" (no such file); give the path of a file holding only the secret`,
    ])
    expect(issues.join()).not.toContain('hunter2')
    expect(issuesOf({ NARA_SOUL: SOUL, NARA_SOUL_FILE: file('s2', SOUL) })).toEqual([
      'NARA_SOUL_FILE: set NARA_SOUL or NARA_SOUL_FILE, not both',
    ])
    expect(issuesOf({ NARA_SOUL_FILE: file('empty', '\n') })[0]).toMatch(/is empty$/)
  })

  it('warns about a secret file other users can read', () => {
    const open = file('open-soul', SOUL, 0o644)
    expect(loadConfig({ NARA_SOUL_FILE: open }).warnings).toEqual([
      `NARA_SOUL_FILE: "${open}" can be read by other users (mode 644); chmod 600 it`,
    ])
  })
})

describe('NARA_HTTP_PORT', () => {
  it('makes the port a must: no fallback when it is set', () => {
    expect(loadConfig({ NARA_HTTP_PORT: '9700' }).http).toMatchObject({
      port: 9700,
      fallbackPorts: 0,
    })
  })
})
