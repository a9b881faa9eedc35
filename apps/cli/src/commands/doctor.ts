/**
 * `nara doctor`: checks the configuration and the way to the broker one step at a time
 * (configuration, DNS, TCP, TLS chain, credentials, subscribe, round-trip publish on a private
 * test topic), prints each step with a verdict and the fix, and exits 1 if any step fails.
 */
import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP, type Socket, connect as tcpConnect } from 'node:net'
import { type TLSSocket, connect as tlsConnect } from 'node:tls'
import type { Command } from 'commander'
import type { Settings } from '../config.js'
import {
  addBrokerOptions,
  addIdentityOptions,
  type CliContext,
  examples,
  settingsFor,
} from '../context.js'
import { type CliError, ConfigError, ExitCode, UsageError } from '../errors.js'
import { configuredSoulText, identityFromSoul, parseSoulText } from '../identity.js'
import { readTextFile } from '../io-helpers.js'
import { ProbeError, ProbeSession } from '../mqtt-probe.js'
import { printJson, printLine } from '../output.js'

type Status = 'ok' | 'warn' | 'fail' | 'skip'

export interface StepResult {
  step: string
  status: Status
  detail: string
  fix?: string
}

interface DoctorFlags {
  mqttHost?: string
  mqttPort?: string
  mqttUser?: string
  mqttPass?: string
  tlsCa?: string
  tlsInsecure?: boolean
  name?: string
  soulFile?: string
  timeout?: string
  json?: boolean
}

export function registerDoctor(program: Command, ctx: CliContext): void {
  const command = program
    .command('doctor')
    .description(
      'check the configuration and the broker step by step (DNS, TCP, TLS, credentials, subscribe, round trip)',
    )
    .option('--timeout <seconds>', 'bound for each network step (default 5)')
    .option('--json', 'print one JSON object with every step')
  addIdentityOptions(addBrokerOptions(command))
    .addHelpText(
      'after',
      `${examples([
        ['nara doctor', 'check the configured broker'],
        ['MQTT_HOST=tls://localhost:8883 NARA_TLS_CA=ca.crt nara doctor', 'a local TLS broker'],
        ['nara doctor --json | jq .steps', 'as JSON'],
      ])}
Exit status: 0 when no step failed (warnings allowed), 1 when a step failed.
`,
    )
    .action(async (flags: DoctorFlags) => {
      ctx.exitCode = await doctor(ctx, flags)
    })
}

async function doctor(ctx: CliContext, flags: DoctorFlags): Promise<number> {
  let timeoutMs = 5000
  if (flags.timeout !== undefined) {
    if (!/^\d+(\.\d+)?$/.test(flags.timeout) || Number(flags.timeout) <= 0) {
      throw new UsageError(`--timeout must be a positive number of seconds, got "${flags.timeout}"`)
    }
    timeoutMs = Number(flags.timeout) * 1000
  }
  const steps: StepResult[] = []
  const report = (result: StepResult) => {
    steps.push(result)
    if (!flags.json) printStep(ctx, result)
  }
  if (!flags.json) printLine(ctx.io, ctx.io.color.bold('nara doctor'))
  await runSteps(ctx, flags, timeoutMs, report)
  const failed = steps.filter((s) => s.status === 'fail').length
  const warned = steps.filter((s) => s.status === 'warn').length
  if (flags.json) {
    printJson(ctx.io, { ok: failed === 0, steps })
  } else {
    const c = ctx.io.color
    printLine(ctx.io)
    if (failed === 0) {
      printLine(
        ctx.io,
        c.green(
          warned === 0
            ? 'All good: the plaza is reachable.'
            : `Reachable, with ${warned} warning(s) above.`,
        ),
      )
    } else {
      printLine(ctx.io, c.red(`${failed} step(s) failed; see the fixes above.`))
    }
  }
  return failed === 0 ? ExitCode.ok : ExitCode.failed
}

const LABELS: Record<Status, string> = { ok: 'ok', warn: 'warn', fail: 'FAIL', skip: 'skip' }

function printStep(ctx: CliContext, r: StepResult): void {
  const c = ctx.io.color
  const paint = { ok: c.green, warn: c.yellow, fail: c.red, skip: c.dim }[r.status]
  printLine(ctx.io, `${paint(LABELS[r.status].padEnd(4))}  ${r.step.padEnd(13)}  ${r.detail}`)
  if (r.fix) printLine(ctx.io, `      ${c.dim('fix:')} ${r.fix}`)
}

const STEPS = [
  'configuration',
  'dns',
  'tcp',
  'tls',
  'credentials',
  'subscribe',
  'round-trip',
] as const

async function runSteps(
  ctx: CliContext,
  flags: DoctorFlags,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<void> {
  const skipRest = (from: (typeof STEPS)[number]) => {
    for (const step of STEPS.slice(STEPS.indexOf(from))) {
      report({ step, status: 'skip', detail: 'skipped: an earlier step failed' })
    }
  }

  // 1. configuration
  const config = await checkConfiguration(ctx, flags)
  report(config.result)
  if (!config.settings) return skipRest('dns')
  const { broker } = config.settings

  // 2. dns
  let addresses = [broker.host]
  if (isIP(broker.host)) {
    report({ step: 'dns', status: 'ok', detail: `${broker.host} is an IP address (no lookup)` })
  } else {
    try {
      const all = await withTimeout(lookup(broker.host, { all: true }), timeoutMs, 'DNS lookup')
      addresses = all.map((a) => a.address)
      report({
        step: 'dns',
        status: 'ok',
        detail: `${broker.host} -> ${all.map((a) => a.address).join(', ')}`,
      })
    } catch (error) {
      report({
        step: 'dns',
        status: 'fail',
        detail: `cannot resolve ${broker.host}: ${errorText(error)}`,
        fix: 'check the host name in MQTT_HOST (or --mqtt-host) and your network/DNS settings',
      })
      return skipRest('tcp')
    }
  }

  // 3. tcp: every resolved address in turn (e.g. localhost may be ::1 and 127.0.0.1)
  let socket: Socket | undefined
  const failures: string[] = []
  let refused = false
  for (const address of addresses) {
    try {
      socket = await openTcp(address, broker.port, timeoutMs)
      report({ step: 'tcp', status: 'ok', detail: `connected to ${address}:${broker.port}` })
      break
    } catch (error) {
      refused ||= (error as NodeJS.ErrnoException).code === 'ECONNREFUSED'
      failures.push(`${address}:${broker.port}: ${errorText(error)}`)
    }
  }
  if (!socket) {
    report({
      step: 'tcp',
      status: 'fail',
      detail: `cannot connect to ${failures.join('; ')}`,
      fix: refused
        ? `nothing listens on port ${broker.port}: check the port (MQTT_HOST/MQTT_PORT) and that the broker runs`
        : 'check the port and any firewall between you and the broker',
    })
    return skipRest('tls')
  }

  // 4. tls
  let stream: Socket | TLSSocket = socket
  if (!broker.tls) {
    report({
      step: 'tls',
      status: broker.password !== undefined ? 'warn' : 'ok',
      detail:
        broker.password !== undefined
          ? 'plain MQTT: the password travels unencrypted'
          : 'plain MQTT (no TLS configured)',
      ...(broker.password !== undefined
        ? { fix: 'use a tls:// broker URL (port 8883) when sending credentials' }
        : {}),
    })
  } else {
    const tls = await checkTls(socket, broker, timeoutMs)
    report(tls.result)
    if (!tls.socket) {
      socket.destroy()
      return skipRest('credentials')
    }
    stream = tls.socket
  }

  if (broker.protocol === 'ws' || broker.protocol === 'wss') {
    stream.destroy()
    for (const step of ['credentials', 'subscribe', 'round-trip'] as const) {
      report({
        step,
        status: 'warn',
        detail: 'not checked: doctor speaks MQTT over TCP, not over WebSocket',
      })
    }
    return
  }

  // 5-7. MQTT session
  const clientId = `nara-doctor-${randomBytes(6).toString('hex')}`
  const session = new ProbeSession(stream, {
    clientId,
    username: broker.username,
    password: broker.password,
    replyTimeoutMs: timeoutMs,
  })
  try {
    try {
      await session.connect()
      report({
        step: 'credentials',
        status: 'ok',
        detail:
          broker.username !== undefined
            ? `logged in as "${broker.username}"`
            : 'connected anonymously',
      })
    } catch (error) {
      report({ step: 'credentials', status: 'fail', ...connectFailure(error, broker) })
      return skipRest('subscribe')
    }
    const topic = `nara/doctor/${clientId}`
    try {
      await session.subscribe(topic, 1)
      report({ step: 'subscribe', status: 'ok', detail: `subscribed to ${topic}` })
    } catch (error) {
      report({
        step: 'subscribe',
        status: 'fail',
        detail: errorText(error),
        fix: 'the broker denies this user subscriptions under nara/: check its ACL for the user',
      })
      return skipRest('round-trip')
    }
    const payload = Buffer.from(`nara doctor ${randomBytes(8).toString('hex')}`)
    try {
      await session.publish(topic, payload)
      await session.receive(topic, payload)
      report({
        step: 'round-trip',
        status: 'ok',
        detail: `published on ${topic} (QoS 1, acknowledged) and received it back`,
      })
    } catch (error) {
      report({
        step: 'round-trip',
        status: 'fail',
        detail: errorText(error),
        fix: 'the broker did not deliver our own message: check its ACL allows publishing under nara/',
      })
    }
  } finally {
    session.disconnect()
  }
}

async function checkConfiguration(
  ctx: CliContext,
  flags: DoctorFlags,
): Promise<{ result: StepResult; settings?: Settings }> {
  let settings: Settings
  try {
    settings = settingsFor(ctx, flags)
  } catch (error) {
    if (error instanceof ConfigError) {
      return {
        result: {
          step: 'configuration',
          status: 'fail',
          detail: error.problems.join('; '),
          fix: 'fix the variables or flags named above (see `nara --help`)',
        },
      }
    }
    throw error
  }
  const { broker } = settings
  const notes = [`broker ${broker.url}`]
  notes.push(broker.username !== undefined ? `user "${broker.username}"` : 'no credentials')
  if (broker.tlsCaFile) {
    try {
      await readTextFile(broker.tlsCaFile, 'CA file')
    } catch (error) {
      return {
        result: {
          step: 'configuration',
          status: 'fail',
          detail: (error as CliError).message,
          fix: 'point NARA_TLS_CA (or --tls-ca) at a readable PEM file',
        },
      }
    }
    notes.push(`trusting CA ${broker.tlsCaFile}`)
  }
  let warning: string | undefined
  try {
    const soul = await configuredSoulText(settings)
    if (soul) {
      const identity = identityFromSoul(parseSoulText(soul.text, soul.source), settings.name)
      notes.push(`nara "${identity.name}"`)
      if (!identity.bondValid) {
        warning =
          settings.name === undefined
            ? `the soul is not bonded to its derived name "${identity.name}"`
            : `the soul is not bonded to the name "${identity.name}"`
      }
    } else {
      notes.push('no soul (fine for watch/who; tease and say need one)')
    }
  } catch (error) {
    return {
      result: {
        step: 'configuration',
        status: 'fail',
        detail: (error as CliError).message,
        fix: (error as CliError).hint ?? 'fix NARA_SOUL or --soul-file',
      },
    }
  }
  if (broker.tlsInsecure) warning ??= 'NARA_TLS_INSECURE: the broker certificate is not verified'
  return {
    settings,
    result: warning
      ? {
          step: 'configuration',
          status: 'warn',
          detail: `${notes.join(', ')}; ${warning}`,
          fix: warning.startsWith('NARA_TLS_INSECURE')
            ? 'set NARA_TLS_CA to the CA of the broker instead'
            : settings.name === undefined
              ? 'set NARA_ID (or --name) to the name this soul was made for'
              : 'check NARA_ID, or make a soul for this name with `nara soul new --name <name>`',
        }
      : { step: 'configuration', status: 'ok', detail: notes.join(', ') },
  }
}

function openTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = tcpConnect({ host, port })
    const timer = setTimeout(() => {
      socket.destroy()
      reject(new Error(`no answer in ${timeoutMs} ms`))
    }, timeoutMs)
    socket.once('connect', () => {
      clearTimeout(timer)
      socket.removeAllListeners('error')
      resolve(socket)
    })
    socket.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
  })
}

const TRUST_CODES = new Set([
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_UNTRUSTED',
])

async function checkTls(
  socket: Socket,
  broker: Settings['broker'],
  timeoutMs: number,
): Promise<{ result: StepResult; socket?: TLSSocket }> {
  const ca = broker.tlsCaFile ? await readTextFile(broker.tlsCaFile, 'CA file') : undefined
  return new Promise((resolve) => {
    const tls = tlsConnect({
      socket,
      ...(isIP(broker.host) ? {} : { servername: broker.host }),
      ...(ca ? { ca } : {}),
      rejectUnauthorized: !broker.tlsInsecure,
    })
    const timer = setTimeout(() => {
      tls.destroy()
      resolve({
        result: {
          step: 'tls',
          status: 'fail',
          detail: `no TLS handshake in ${timeoutMs} ms`,
          fix: 'is this a TLS port? use tcp:// for plain MQTT (1883) or tls:// for TLS (8883)',
        },
      })
    }, timeoutMs)
    tls.once('secureConnect', () => {
      clearTimeout(timer)
      tls.removeAllListeners('error')
      const cert = tls.getPeerCertificate()
      const subject = cert?.subject?.CN ?? '?'
      const issuer = cert?.issuer?.CN ?? '?'
      const detail = `${tls.getProtocol() ?? 'TLS'}, certificate "${subject}" issued by "${issuer}", valid until ${cert?.valid_to ?? '?'}`
      if (!tls.authorized) {
        resolve({
          socket: tls,
          result: {
            step: 'tls',
            status: 'warn',
            detail: `${detail}; NOT verified (${String(tls.authorizationError)})`,
            fix: 'set NARA_TLS_CA to the CA that signed the broker certificate and drop NARA_TLS_INSECURE',
          },
        })
        return
      }
      resolve({
        socket: tls,
        result: { step: 'tls', status: 'ok', detail: `${detail}; chain verified` },
      })
    })
    tls.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      const code = error.code ?? ''
      let fix = 'check that the port speaks TLS and that the certificate is valid'
      let detail = `TLS handshake failed: ${error.message}`
      if (TRUST_CODES.has(code)) {
        detail = `the broker certificate is not trusted: ${error.message}`
        fix = broker.tlsCaFile
          ? `the CA in ${broker.tlsCaFile} did not sign the broker certificate: point NARA_TLS_CA at the right CA`
          : 'set NARA_TLS_CA (or --tls-ca) to the PEM file of the CA that signed the broker certificate'
      } else if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
        detail = `the certificate does not name ${broker.host}: ${error.message}`
        fix = 'connect with the host name the certificate was issued for'
      } else if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
        detail = `the broker certificate is out of date: ${error.message}`
        fix = "renew the broker's certificate (or check this machine's clock)"
      }
      resolve({ result: { step: 'tls', status: 'fail', detail, fix } })
    })
  })
}

function connectFailure(
  error: unknown,
  broker: Settings['broker'],
): { detail: string; fix: string } {
  if (error instanceof ProbeError && error.code === 'refused') {
    if (error.returnCode === 4) {
      return {
        detail: error.message,
        fix:
          broker.username === undefined
            ? 'the broker wants credentials: set MQTT_USER and MQTT_PASS'
            : `check MQTT_PASS (and MQTT_USER "${broker.username}")`,
      }
    }
    if (error.returnCode === 5) {
      return {
        detail: error.message,
        fix:
          broker.username === undefined
            ? 'the broker refuses anonymous clients: set MQTT_USER and MQTT_PASS'
            : `the broker does not authorise user "${broker.username}": check MQTT_USER/MQTT_PASS and the broker ACL`,
      }
    }
    return { detail: error.message, fix: 'check the broker logs' }
  }
  return {
    detail: errorText(error),
    fix: 'the broker closed the connection after CONNECT: check that this port speaks MQTT and the credentials',
  }
}

function errorText(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message
  }
  return String(error)
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${what}: no answer in ${ms} ms`)), ms)
    promise.then(
      (v) => {
        clearTimeout(timer)
        resolve(v)
      },
      (e) => {
        clearTimeout(timer)
        reject(e)
      },
    )
  })
}
