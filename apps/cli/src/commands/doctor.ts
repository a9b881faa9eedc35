/**
 * `nara doctor`: checks the configuration and the way to the broker one step at a time
 * (configuration, DNS, TCP, TLS chain, credentials, subscribe, round-trip publish on a private
 * test topic), prints each step with a verdict and the fix, and exits 1 if any step fails.
 */
import { randomBytes } from 'node:crypto'
import { lookup } from 'node:dns/promises'
import { isIP, type Socket, connect as tcpConnect } from 'node:net'
import { connect as tlsConnect } from 'node:tls'
import type { Command } from 'commander'
import type { Settings } from '../config.js'
import {
  addBrokerOptions,
  addIdentityOptions,
  type CliContext,
  examples,
  settingsFor,
} from '../context.js'
import {
  connectDoctorSession,
  DoctorMqttError,
  type DoctorMqttSession,
  WEBSOCKET_PATH,
} from '../doctor-mqtt.js'
import { type CliError, ConfigError, ExitCode, UsageError } from '../errors.js'
import { configuredSoulText, identityFromSoul, parseSoulText } from '../identity.js'
import { readTextFile } from '../io-helpers.js'
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

  // 4. tls: checked on this socket; MQTT.js then opens its own connection with the same options
  const websocket = broker.protocol === 'ws' || broker.protocol === 'wss'
  if (!broker.tls) {
    socket.destroy()
    const plain = websocket ? 'plain WebSocket' : 'plain MQTT'
    report({
      step: 'tls',
      status: broker.password !== undefined ? 'warn' : 'ok',
      detail:
        broker.password !== undefined
          ? `${plain}: the password travels unencrypted`
          : `${plain} (no TLS configured)`,
      ...(broker.password !== undefined
        ? {
            fix: websocket
              ? 'use a wss:// broker URL when sending credentials'
              : 'use a tls:// broker URL (port 8883) when sending credentials',
          }
        : {}),
    })
  } else {
    const tls = await checkTls(socket, broker, timeoutMs)
    report(tls.result)
    socket.destroy()
    if (!tls.ok) return skipRest('credentials')
  }

  // 5-7. an MQTT session through MQTT.js
  const clientId = `nara-doctor-${randomBytes(6).toString('hex')}`
  const ca = broker.tlsCaFile ? await readTextFile(broker.tlsCaFile, 'CA file') : undefined
  let session: DoctorMqttSession
  try {
    session = await connectDoctorSession({
      protocol: broker.protocol,
      host: broker.host,
      port: broker.port,
      clientId,
      username: broker.username,
      password: broker.password,
      ca,
      rejectUnauthorized: !broker.tlsInsecure,
      timeoutMs,
    })
  } catch (error) {
    report({ step: 'credentials', status: 'fail', ...connectFailure(error, broker) })
    return skipRest('subscribe')
  }
  try {
    const over = websocket ? ` (MQTT over WebSocket, path ${WEBSOCKET_PATH})` : ''
    report({
      step: 'credentials',
      status: 'ok',
      detail:
        broker.username !== undefined
          ? `logged in as "${broker.username}"${over}`
          : `connected anonymously${over}`,
    })
    const topic = `nara/doctor/${clientId}`
    try {
      const granted = await session.subscribe(topic)
      report({ step: 'subscribe', status: 'ok', detail: `subscribed to ${topic} (QoS ${granted})` })
    } catch (error) {
      report({
        step: 'subscribe',
        status: 'fail',
        detail: errorText(error),
        fix:
          error instanceof DoctorMqttError && error.code === 'denied'
            ? 'the broker denies this user subscriptions under nara/: check its ACL for the user'
            : 'the connection broke while subscribing: run the doctor again, and check the broker logs',
      })
      return skipRest('round-trip')
    }
    const payload = Buffer.from(`nara doctor ${randomBytes(8).toString('hex')}`)
    try {
      await session.roundTrip(topic, payload)
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
    await session.close()
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
): Promise<{ result: StepResult; ok: boolean }> {
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
        ok: false,
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
      tls.on('error', () => {})
      tls.end()
      if (!tls.authorized) {
        resolve({
          ok: true,
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
        ok: true,
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
      resolve({ ok: false, result: { step: 'tls', status: 'fail', detail, fix } })
    })
  })
}

/** Fixes for CONNACK return codes other than 4 and 5 (MQTT 3.1.1, section 3.2.2.3). */
const REFUSAL_FIXES: Record<number, string> = {
  1: 'the broker does not speak MQTT 3.1.1: check that MQTT_HOST points at an MQTT 3.1.1/5 broker',
  2: 'the broker rejected our client id: check its client id rules (the doctor uses nara-doctor-<random>)',
  3: 'the broker is up but not accepting MQTT clients now: try again later, or check the broker logs',
}

function connectFailure(
  error: unknown,
  broker: Settings['broker'],
): { detail: string; fix: string } {
  const detail = errorText(error)
  const websocket = broker.protocol === 'ws' || broker.protocol === 'wss'
  const speaks = websocket
    ? `this port serves MQTT over WebSocket at ${WEBSOCKET_PATH}`
    : 'this port speaks MQTT'
  if (!(error instanceof DoctorMqttError)) {
    return { detail, fix: `check that ${speaks}, and the broker logs` }
  }
  switch (error.code) {
    case 'refused':
      // 4/5: MQTT 3.1.1 "bad username or password" / "not authorized"; 134/135: the same in MQTT 5.
      if (error.returnCode === 4 || error.returnCode === 134) {
        return {
          detail,
          fix:
            broker.username === undefined
              ? 'the broker wants credentials: set MQTT_USER and MQTT_PASS'
              : `check MQTT_PASS (and MQTT_USER "${broker.username}")`,
        }
      }
      if (error.returnCode === 5 || error.returnCode === 135) {
        return {
          detail,
          fix:
            broker.username === undefined
              ? 'the broker refuses anonymous clients: set MQTT_USER and MQTT_PASS'
              : `the broker does not authorise user "${broker.username}": check MQTT_USER/MQTT_PASS and the broker ACL`,
        }
      }
      return {
        detail,
        fix: REFUSAL_FIXES[error.returnCode ?? -1] ?? 'check the broker logs for why it refused us',
      }
    case 'timeout':
      return { detail, fix: `the broker did not answer CONNECT: check that ${speaks}` }
    case 'transport':
      return {
        detail,
        fix: websocket
          ? `the WebSocket connection failed: check that ${speaks}`
          : `the connection failed after TLS/TCP worked: check that ${speaks}, and the broker logs`,
      }
    default:
      return {
        detail,
        fix: `the broker closed the connection after CONNECT: check that ${speaks} and the credentials`,
      }
  }
}

function errorText(error: unknown): string {
  if (error instanceof DoctorMqttError) return error.message
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
