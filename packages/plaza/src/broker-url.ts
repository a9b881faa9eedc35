import { InvalidBrokerUrlError } from './errors.js'

/** Transport of a broker connection, as MQTT.js names it. */
export type BrokerProtocol = 'mqtt' | 'mqtts' | 'ws' | 'wss'

/** A parsed broker address (see {@link parseBrokerUrl}). */
export interface BrokerAddress {
  readonly protocol: BrokerProtocol
  /** Host name or IP (IPv6 without brackets). */
  readonly host: string
  readonly port: number
  /** WebSocket path (`/mqtt` when the URL has none); undefined for TCP/TLS. */
  readonly path: string | undefined
  /** Normalised URL WITHOUT credentials: safe to log and to put into error messages. */
  readonly url: string
  /** Credentials found in the URL's user info, if any (options take precedence). */
  readonly username: string | undefined
  readonly password: string | undefined
}

const SCHEMES: Record<string, BrokerProtocol> = {
  mqtt: 'mqtt',
  tcp: 'mqtt',
  mqtts: 'mqtts',
  tls: 'mqtts',
  ssl: 'mqtts',
  ws: 'ws',
  wss: 'wss',
}

const DEFAULT_PORTS: Record<BrokerProtocol, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 }

/**
 * Parses a broker URL. Accepts `mqtt://`, `mqtts://`, `ws://`, `wss://`, Go's `tcp://`,
 * `ssl://` and `tls://`, and a bare `host:port` (TCP, like Go). Default ports: 1883 (tcp),
 * 8883 (tls), 80 (ws), 443 (wss). Credentials in the user info are split off.
 *
 * @throws InvalidBrokerUrlError for an empty string, an unknown scheme, a missing host or a
 *   bad port. The message never repeats the credentials.
 */
export function parseBrokerUrl(input: string): BrokerAddress {
  if (typeof input !== 'string' || input.trim() === '') {
    throw new InvalidBrokerUrlError('broker URL is empty')
  }
  const trimmed = input.trim()
  const withScheme = trimmed.includes('://') ? trimmed : `tcp://${trimmed}`
  const scheme = withScheme.slice(0, withScheme.indexOf('://')).toLowerCase()
  const protocol = SCHEMES[scheme]
  if (protocol === undefined) {
    throw new InvalidBrokerUrlError(
      `unsupported broker URL scheme "${scheme}://" (use mqtt, mqtts, tcp, ssl, tls, ws or wss)`,
    )
  }
  let parsed: URL
  try {
    // WHATWG URL only knows default ports of special schemes; parse as http(s) to get host/port.
    parsed = new URL(`http://${withScheme.slice(scheme.length + 3)}`)
  } catch {
    throw new InvalidBrokerUrlError(`broker URL is not a valid URL: ${redactRaw(trimmed)}`)
  }
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1')
  if (host === '') throw new InvalidBrokerUrlError(`broker URL has no host: ${redactRaw(trimmed)}`)
  const port = parsed.port === '' ? DEFAULT_PORTS[protocol] : Number(parsed.port)
  if (!Number.isInteger(port) || port <= 0 || port > 65_535) {
    throw new InvalidBrokerUrlError(`broker URL has a bad port: ${redactRaw(trimmed)}`)
  }
  const isWs = protocol === 'ws' || protocol === 'wss'
  const path = isWs ? (parsed.pathname === '/' ? '/mqtt' : parsed.pathname) : undefined
  const hostText = host.includes(':') ? `[${host}]` : host
  const url = `${protocol}://${hostText}:${port}${path ?? ''}`
  const username = parsed.username === '' ? undefined : decodeURIComponent(parsed.username)
  const password = parsed.password === '' ? undefined : decodeURIComponent(parsed.password)
  return { protocol, host, port, path, url, username, password }
}

/** Removes `user:pass@` from anything that looks like a URL, for logs and messages. */
export function redactRaw(text: string): string {
  return text.replace(/\/\/[^/@\s]*@/g, '//').replace(/^[^/@\s:]+:[^/@\s]*@/, '')
}
