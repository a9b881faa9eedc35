/**
 * The CLI's one error convention: every failure is a CliError subclass with a stable `name`
 * (its static name), a `code` and an exit code. Checked on the classes, on the helpers that throw
 * them, and on the doctor's MQTT session against real brokers (aedes, and plain TCP servers that
 * hang up or never answer).
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { createServer, type Server, type Socket } from 'node:net'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { freePort, startAedes, type TestBroker } from '@nara/vitest-config/brokers'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { resolveSettings } from '../src/config.js'
import { connectDoctorSession, type DoctorMqttOptions } from '../src/doctor-mqtt.js'
import {
  BrokerError,
  CliError,
  ConfigError,
  ExitCode,
  InputError,
  MqttClosedError,
  MqttRefusedError,
  MqttSubscribeDeniedError,
  MqttTimeoutError,
  MqttTransportError,
  UnexpectedError,
  UsageError,
} from '../src/errors.js'
import { parseSoulText } from '../src/identity.js'
import { readJsonFile, readTextFile } from '../src/io-helpers.js'

/** The error a promise rejects with; fails the test when it resolves. */
async function rejection<E = Error>(promise: Promise<unknown>): Promise<E> {
  try {
    await promise
  } catch (error) {
    return error as E
  }
  throw new Error('expected a rejection')
}

describe('CLI error classes', () => {
  const cases = [
    [new UsageError('bad flag'), 'UsageError', 'usage', ExitCode.usage],
    [new ConfigError(['MQTT_PORT: not a port']), 'ConfigError', 'config', ExitCode.usage],
    [new InputError('unreadable'), 'InputError', 'input', ExitCode.usage],
    [new BrokerError('unreachable'), 'BrokerError', 'broker', ExitCode.broker],
    [new UnexpectedError(new Error('oops')), 'UnexpectedError', 'unexpected', ExitCode.failed],
    [new MqttRefusedError('refused', 5), 'MqttRefusedError', 'mqtt-refused', ExitCode.broker],
    [
      new MqttSubscribeDeniedError('denied'),
      'MqttSubscribeDeniedError',
      'mqtt-subscribe-denied',
      ExitCode.broker,
    ],
    [new MqttTimeoutError('slow'), 'MqttTimeoutError', 'mqtt-timeout', ExitCode.broker],
    [new MqttClosedError('gone'), 'MqttClosedError', 'mqtt-closed', ExitCode.broker],
    [new MqttTransportError('broken'), 'MqttTransportError', 'mqtt-transport', ExitCode.broker],
  ] as const

  it.each(cases)('%o is named %s, with code %s and exit code %i', (error, name, code, exit) => {
    expect(error.name).toBe(name)
    expect((error.constructor as typeof CliError).name).toBe(name)
    expect(error.code).toBe(code)
    expect(error.exitCode).toBe(exit)
    expect(error).toBeInstanceOf(CliError)
    expect(error).toBeInstanceOf(Error)
    expect(String(error)).toBe(`${name}: ${error.message}`)
  })

  it('gives every failure kind its own name and code', () => {
    expect(new Set(cases.map(([, name]) => name)).size).toBe(cases.length)
    expect(new Set(cases.map(([, , code]) => code)).size).toBe(cases.length)
  })

  it('keeps hints: a default per kind, or the one given', () => {
    expect(new UsageError('x').hint).toBe('see `nara <command> --help`')
    expect(new UsageError('x', 'try --json').hint).toBe('try --json')
    expect(new BrokerError('x').hint).toContain('nara doctor')
    expect(new InputError('x').hint).toBeUndefined()
  })
})

describe('helpers throw the CLI errors by name', () => {
  let dir: string
  beforeAll(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-errors-'))
  })
  afterAll(() => rmSync(dir, { recursive: true, force: true }))

  it('an unreadable file is an InputError naming the file', async () => {
    const missing = path.join(dir, 'missing.json')
    const error = await rejection(readTextFile(missing, 'keyring file'))
    expect(error.name).toBe('InputError')
    expect(error.message).toContain(missing)
    expect((await rejection(readJsonFile(missing, 'keyring'))).name).toBe('InputError')
  })

  it('a bad soul is an InputError that does not echo the text', () => {
    const secretish = 'not-a-soul-but-secret-looking'
    const error = (() => {
      try {
        parseSoulText(secretish, 'NARA_SOUL')
      } catch (e) {
        return e as Error
      }
    })()
    expect(error?.name).toBe('InputError')
    expect(error?.message).not.toContain(secretish)
  })

  it('a bad environment is a ConfigError listing every problem', () => {
    const error = (() => {
      try {
        resolveSettings({ MQTT_HOST: 'mqtt://127.0.0.1', MQTT_PORT: 'abc' }, {})
      } catch (e) {
        return e as ConfigError
      }
    })()
    expect(error?.name).toBe('ConfigError')
    expect(error?.problems.join('\n')).toContain('MQTT_PORT')
  })
})

describe('doctor MQTT session errors (real brokers)', () => {
  const servers: Server[] = []
  const sockets: Socket[] = []
  afterEach(async () => {
    for (const socket of sockets.splice(0)) socket.destroy()
    await Promise.all(servers.splice(0).map((s) => new Promise((r) => s.close(r))))
  })
  const options = (port: number, extra: Partial<DoctorMqttOptions> = {}): DoctorMqttOptions => ({
    protocol: 'mqtt',
    host: '127.0.0.1',
    port,
    clientId: 'nara-doctor-errors-test',
    rejectUnauthorized: true,
    timeoutMs: 5000,
    ...extra,
  })
  /** A TCP server that does `onSocket` with every connection (no MQTT broker at all). */
  const tcpServer = async (onSocket: (socket: Socket) => void): Promise<number> => {
    const server = createServer((socket) => {
      sockets.push(socket)
      onSocket(socket)
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return (server.address() as { port: number }).port
  }

  it('a refused CONNECT is an MqttRefusedError with the CONNACK return code', async () => {
    const broker: TestBroker = await startAedes({ username: 'nara', password: 'right' })
    try {
      const error = await rejection<MqttRefusedError>(
        connectDoctorSession(options(broker.port, { username: 'nara', password: 'wrong' })),
      )
      expect(error).toMatchObject({ name: 'MqttRefusedError', code: 'mqtt-refused', returnCode: 4 })
      expect(error.message).not.toContain('wrong')
    } finally {
      await broker.close()
    }
  })

  it('a refused subscription is an MqttSubscribeDeniedError', async () => {
    const broker = await startAedes({ authorizeSubscribe: () => false })
    try {
      const session = await connectDoctorSession(options(broker.port))
      try {
        const error = await rejection(session.subscribe('nara/doctor/x'))
        expect(error.name).toBe('MqttSubscribeDeniedError')
        expect(error.message).toContain('SUBACK 0x80')
      } finally {
        await session.close()
      }
    } finally {
      await broker.close()
    }
  })

  it('nothing listening is an MqttTransportError', async () => {
    const port = await freePort()
    const error = await rejection(connectDoctorSession(options(port)))
    expect(error.name).toBe('MqttTransportError')
    expect(error.message).toContain('ECONNREFUSED')
  })

  it('a server that hangs up before CONNACK is an MqttClosedError', async () => {
    const port = await tcpServer((socket) => socket.end())
    const error = await rejection(connectDoctorSession(options(port)))
    expect(error.name).toBe('MqttClosedError')
  })

  it('a server that never answers is an MqttTimeoutError', async () => {
    const port = await tcpServer(() => {})
    const error = await rejection(connectDoctorSession(options(port, { timeoutMs: 100 })))
    expect(error.name).toBe('MqttTimeoutError')
    expect(error.message).toContain('no CONNACK')
  })
})
