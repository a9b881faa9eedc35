import { execFile } from 'node:child_process'
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { promisify } from 'node:util'
import { brokerProcess } from './broker-process.js'
import { requireBinary } from './find-binary.js'
import { freePort } from './free-port.js'
import type { BrokerOptions, BrokerTlsOptions, TestBroker } from './types.js'

const execFileAsync = promisify(execFile)

/** The TLS listener options (the same for every broker). */
export type MosquittoTlsOptions = BrokerTlsOptions

export interface MosquittoOptions extends BrokerOptions {
  /** How long to wait for the listener, in ms. Default 10 000. */
  startTimeoutMs?: number
  /** Extra config lines appended verbatim (e.g. `max_queued_messages 0` for benchmarks). */
  extraConfig?: string[]
}

/** A running mosquitto child process (see {@link startMosquitto}). */
export interface MosquittoBroker extends TestBroker {
  /** The generated `mosquitto.conf`. */
  readonly configFile: string
  /** The last 64 kB mosquitto wrote (its log). */
  log(): string
  /** The process id while it runs (for CPU accounting in benchmarks). */
  pid(): number | undefined
}

/**
 * Spawns the real `mosquitto` binary with a generated config in a temp directory: a plain
 * listener on 127.0.0.1 (free port unless `options.port`), `persistence false`, anonymous
 * access unless a username is given (then a password file made with `mosquitto_passwd`), and
 * optionally a TLS listener. Resolves once the port accepts TCP connections.
 *
 * Throws `mosquitto not found: apt-get install -y mosquitto` when the binary is missing;
 * tests never skip silently.
 */
export async function startMosquitto(options: MosquittoOptions = {}): Promise<MosquittoBroker> {
  const mosquittoBin = requireBinary('mosquitto', 'mosquitto', process.env.PATH)
  const dir = await mkdtemp(join(tmpdir(), 'nara-mosquitto-'))
  const port = options.port ?? (await freePort())
  const tlsPort = options.tls === undefined ? undefined : (options.tls.port ?? (await freePort()))

  const lines = [`listener ${port} 127.0.0.1`]
  if (options.tls !== undefined && tlsPort !== undefined) {
    lines.push(
      `listener ${tlsPort} 127.0.0.1`,
      `cafile ${options.tls.caFile}`,
      `certfile ${options.tls.certFile}`,
      `keyfile ${options.tls.keyFile}`,
      `require_certificate ${options.tls.requireClientCertificate === true}`,
    )
  }
  lines.push('persistence false', 'log_dest stderr', 'log_type error', 'log_type warning')
  lines.push('log_type notice', 'log_type information')
  if (options.username !== undefined) {
    const passwdBin = requireBinary('mosquitto_passwd', 'mosquitto', process.env.PATH)
    const passwordFile = join(dir, 'passwd')
    await execFileAsync(passwdBin, [
      '-b',
      '-c',
      passwordFile,
      options.username,
      options.password ?? '',
    ])
    lines.push('allow_anonymous false', `password_file ${passwordFile}`)
  } else {
    lines.push('allow_anonymous true')
  }
  lines.push(...(options.extraConfig ?? []))
  // Started as root, mosquitto drops to user "mosquitto", which cannot read our temp files.
  if (process.getuid?.() === 0) lines.push('user root')
  const configFile = join(dir, 'mosquitto.conf')
  await writeFile(configFile, `${lines.join('\n')}\n`)

  const proc = brokerProcess({
    label: 'mosquitto',
    bin: mosquittoBin,
    args: ['-c', configFile],
    ports: tlsPort === undefined ? [port] : [port, tlsPort],
    ...(options.startTimeoutMs === undefined ? {} : { startTimeoutMs: options.startTimeoutMs }),
  })
  let closed = false
  try {
    await proc.launch()
  } catch (err) {
    await rm(dir, { recursive: true, force: true })
    throw err
  }

  return {
    name: 'mosquitto',
    host: '127.0.0.1',
    port,
    url: `mqtt://127.0.0.1:${port}`,
    ...(tlsPort === undefined ? {} : { tlsPort, tlsUrl: `mqtts://localhost:${tlsPort}` }),
    configFile,
    log: proc.log,
    pid: proc.pid,
    stop: () => proc.signal('SIGTERM'),
    kill: () => proc.signal('SIGKILL'),
    restart: async () => {
      if (closed) throw new Error('mosquitto: restart after close')
      await proc.signal('SIGTERM')
      await proc.launch()
    },
    close: async () => {
      if (closed) return
      closed = true
      await proc.signal('SIGTERM')
      await rm(dir, { recursive: true, force: true })
    },
  }
}
