/**
 * The brokers of MQTT_HOST / --mqtt-host: Go's schemes and default ports (no scheme means
 * `tcp://`), and the settings of each broker of a comma-separated list.
 */
import { z } from 'zod'

export type BrokerProtocol = 'mqtt' | 'mqtts' | 'ws' | 'wss'

export interface BrokerSettings {
  protocol: BrokerProtocol
  host: string
  /** TCP port. */
  port: number
  /** `protocol://host:port`, without credentials: safe to print. */
  url: string
  username: string | undefined
  password: string | undefined
  /** Whether the connection uses TLS (`mqtts`/`wss`, i.e. `tls://`, `ssl://`, `mqtts://`, `wss://`). */
  tls: boolean
  /** Path of a PEM file with the CA(s) to trust instead of the system store. */
  tlsCaFile: string | undefined
  /** Paths of the PEM client certificate and its key (mTLS); both or neither. */
  tlsCertFile: string | undefined
  tlsKeyFile: string | undefined
  /** Skip certificate verification (what the Go nara does; not recommended). */
  tlsInsecure: boolean
}

const SCHEMES: Record<string, BrokerProtocol> = {
  'tcp:': 'mqtt',
  'mqtt:': 'mqtt',
  'tls:': 'mqtts',
  'ssl:': 'mqtts',
  'mqtts:': 'mqtts',
  'ws:': 'ws',
  'wss:': 'wss',
}
const DEFAULT_PORTS: Record<BrokerProtocol, number> = { mqtt: 1883, mqtts: 8883, ws: 80, wss: 443 }

export const hostSchema = z.string().transform((text, ctx) => {
  const withScheme = text.includes('://') ? text : `tcp://${text}`
  let url: URL
  try {
    url = new URL(withScheme)
  } catch {
    ctx.addIssue({ code: 'custom', message: `not a broker address: "${text}"` })
    return z.NEVER
  }
  const protocol = SCHEMES[url.protocol]
  if (!protocol) {
    ctx.addIssue({
      code: 'custom',
      message: `unknown scheme "${url.protocol}" (use tcp://, tls://, ssl://, mqtt://, mqtts://, ws:// or wss://)`,
    })
    return z.NEVER
  }
  if (!url.hostname) {
    ctx.addIssue({ code: 'custom', message: `no host name in "${text}"` })
    return z.NEVER
  }
  return {
    protocol,
    host: url.hostname.replace(/^\[(.*)\]$/, '$1'),
    port: url.port ? Number(url.port) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
  }
})

export type ParsedHost = z.output<typeof hostSchema>

/** `MQTT_HOST`, or `MQTT_HOST (entry 2 of 3)` in a list. */
export function entryLabel(label: string, index: number, count: number): string {
  return count === 1 ? label : `${label} (entry ${index + 1} of ${count})`
}

/**
 * One broker of the list. As in the agent, MQTT_PORT only fills in a URL without a port;
 * --mqtt-port always wins (the caller resolves `port` so).
 */
export function brokerSettings(
  host: ParsedHost,
  o: {
    port: number | undefined
    username: string | undefined
    password: string | undefined
    tlsCaFile: string | undefined
    tlsCertFile: string | undefined
    tlsKeyFile: string | undefined
    tlsInsecure: boolean
  },
): BrokerSettings {
  const { protocol } = host
  const port = o.port ?? DEFAULT_PORTS[protocol]
  const hostText = host.host.includes(':') ? `[${host.host}]` : host.host
  return {
    protocol,
    host: host.host,
    port,
    url: `${protocol}://${hostText}:${port}`,
    username: o.username ?? host.username,
    password: o.password ?? host.password,
    tls: protocol === 'mqtts' || protocol === 'wss',
    tlsCaFile: o.tlsCaFile,
    tlsCertFile: o.tlsCertFile,
    tlsKeyFile: o.tlsKeyFile,
    tlsInsecure: o.tlsInsecure,
  }
}
