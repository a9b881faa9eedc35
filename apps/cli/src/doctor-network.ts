/**
 * The network steps of `nara doctor` before MQTT, with Node's own modules: DNS (every address),
 * TCP (each address in turn until one connects), and the TLS chain on that socket (or a warning
 * when a password would travel in the clear). Each step returns its {@link StepResult}.
 */
import { lookup } from 'node:dns/promises'
import { isIP, type Socket, connect as tcpConnect } from 'node:net'
import { type TLSSocket, connect as tlsConnect } from 'node:tls'
import type { Settings } from './config.js'
import type { StepResult } from './doctor-steps.js'
import { errorText } from './errors.js'
import { readTlsFiles } from './tls-files.js'

type Broker = Settings['broker']

/** DNS: the addresses to try, or undefined when the name does not resolve. */
export async function dnsStep(
  broker: Broker,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<string[] | undefined> {
  if (isIP(broker.host)) {
    report({ step: 'dns', status: 'ok', detail: `${broker.host} is an IP address (no lookup)` })
    return [broker.host]
  }
  try {
    const all = await withTimeout(lookup(broker.host, { all: true }), timeoutMs, 'DNS lookup')
    const addresses = all.map((a) => a.address)
    report({ step: 'dns', status: 'ok', detail: `${broker.host} -> ${addresses.join(', ')}` })
    return addresses
  } catch (error) {
    report({
      step: 'dns',
      status: 'fail',
      detail: `cannot resolve ${broker.host}: ${errorText(error)}`,
      fix: 'check the host name in MQTT_HOST (or --mqtt-host) and your network/DNS settings',
    })
    return undefined
  }
}

/** TCP: every resolved address in turn (localhost may be ::1 and 127.0.0.1); the first socket. */
export async function tcpStep(
  broker: Broker,
  addresses: readonly string[],
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<Socket | undefined> {
  const failures: string[] = []
  let refused = false
  for (const address of addresses) {
    try {
      const socket = await openTcp(address, broker.port, timeoutMs)
      report({ step: 'tcp', status: 'ok', detail: `connected to ${address}:${broker.port}` })
      return socket
    } catch (error) {
      refused ||= (error as NodeJS.ErrnoException).code === 'ECONNREFUSED'
      failures.push(`${address}:${broker.port}: ${errorText(error)}`)
    }
  }
  report({
    step: 'tcp',
    status: 'fail',
    detail: `cannot connect to ${failures.join('; ')}`,
    fix: refused
      ? `nothing listens on port ${broker.port}: check the port (MQTT_HOST/MQTT_PORT) and that the broker runs`
      : 'check the port and any firewall between you and the broker',
  })
  return undefined
}

/**
 * TLS, checked on `socket` (MQTT.js then opens its own connection with the same options), or
 * the plain-text verdict. Destroys the socket; false when the MQTT steps cannot go on.
 */
export async function tlsStep(
  broker: Broker,
  socket: Socket,
  timeoutMs: number,
  report: (r: StepResult) => void,
): Promise<boolean> {
  if (broker.tls) {
    const tls = await checkTls(socket, broker, timeoutMs)
    report(tls.result)
    socket.destroy()
    return tls.ok
  }
  socket.destroy()
  const websocket = broker.protocol === 'ws' || broker.protocol === 'wss'
  const plain = websocket ? 'plain WebSocket' : 'plain MQTT'
  if (broker.password === undefined) {
    report({ step: 'tls', status: 'ok', detail: `${plain} (no TLS configured)` })
    return true
  }
  report({
    step: 'tls',
    status: 'warn',
    detail: `${plain}: the password travels unencrypted`,
    fix: websocket
      ? 'use a wss:// broker URL when sending credentials'
      : 'use a tls:// broker URL (port 8883) when sending credentials',
  })
  return true
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

type TlsVerdict = { result: StepResult; ok: boolean }

async function checkTls(socket: Socket, broker: Broker, timeoutMs: number): Promise<TlsVerdict> {
  const files = await readTlsFiles(broker)
  return new Promise((resolve) => {
    const tls = tlsConnect({
      socket,
      ...(isIP(broker.host) ? {} : { servername: broker.host }),
      ...files,
      rejectUnauthorized: !broker.tlsInsecure,
    })
    const timer = setTimeout(() => {
      tls.destroy()
      const fix = 'is this a TLS port? use tcp:// for plain MQTT (1883) or tls:// for TLS (8883)'
      const detail = `no TLS handshake in ${timeoutMs} ms`
      resolve({ ok: false, result: { step: 'tls', status: 'fail', detail, fix } })
    }, timeoutMs)
    tls.once('secureConnect', () => {
      clearTimeout(timer)
      resolve(handshakeVerdict(tls))
    })
    tls.once('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer)
      resolve({ ok: false, result: { step: 'tls', status: 'fail', ...tlsFailure(error, broker) } })
    })
  })
}

/** A completed handshake: the certificate seen, verified or (NARA_TLS_INSECURE) not. */
function handshakeVerdict(tls: TLSSocket): TlsVerdict {
  tls.removeAllListeners('error')
  const cert = tls.getPeerCertificate()
  const subject = cert?.subject?.CN ?? '?'
  const issuer = cert?.issuer?.CN ?? '?'
  const detail = `${tls.getProtocol() ?? 'TLS'}, certificate "${subject}" issued by "${issuer}", valid until ${cert?.valid_to ?? '?'}`
  tls.on('error', () => {})
  tls.end()
  if (tls.authorized) {
    return { ok: true, result: { step: 'tls', status: 'ok', detail: `${detail}; chain verified` } }
  }
  return {
    ok: true,
    result: {
      step: 'tls',
      status: 'warn',
      detail: `${detail}; NOT verified (${String(tls.authorizationError)})`,
      fix: 'set NARA_TLS_CA to the CA that signed the broker certificate and drop NARA_TLS_INSECURE',
    },
  }
}

/** What a failed handshake means and what to do about it. */
function tlsFailure(error: NodeJS.ErrnoException, broker: Broker): { detail: string; fix: string } {
  const code = error.code ?? ''
  if (TRUST_CODES.has(code)) {
    return {
      detail: `the broker certificate is not trusted: ${error.message}`,
      fix: broker.tlsCaFile
        ? `the CA in ${broker.tlsCaFile} did not sign the broker certificate: point NARA_TLS_CA at the right CA`
        : 'set NARA_TLS_CA (or --tls-ca) to the PEM file of the CA that signed the broker certificate',
    }
  }
  if (code === 'ERR_TLS_CERT_ALTNAME_INVALID') {
    return {
      detail: `the certificate does not name ${broker.host}: ${error.message}`,
      fix: 'connect with the host name the certificate was issued for',
    }
  }
  if (code === 'CERT_HAS_EXPIRED' || code === 'CERT_NOT_YET_VALID') {
    return {
      detail: `the broker certificate is out of date: ${error.message}`,
      fix: "renew the broker's certificate (or check this machine's clock)",
    }
  }
  return {
    detail: `TLS handshake failed: ${error.message}`,
    fix: 'check that the port speaks TLS and that the certificate is valid',
  }
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
