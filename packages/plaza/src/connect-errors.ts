/** Connect failures, as reported by MQTT.js or the socket, mapped to the plaza's typed errors. */
import {
  AuthRefusedError,
  BrokerRefusedError,
  BrokerUnreachableError,
  type ConnectError,
  TlsError,
} from './errors.js'

const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'EPIPE',
  'ECONNABORTED',
])

/**
 * Maps whatever MQTT.js or the socket reported to one of our typed errors (the report is its
 * `cause`; a thrown non-Error is described by its text).
 */
export function classifyConnectError(
  error: unknown,
  url: string,
  caSetting = 'tls.ca',
): ConnectError {
  const err: { message: string; code?: unknown; library?: unknown } =
    error instanceof Error ? error : { message: String(error) }
  const code = err.code
  if (typeof code === 'number') {
    // CONNACK return code (MQTT 3.1.1) or reason code (MQTT 5).
    if (code === 4 || code === 5 || code === 134 || code === 135) {
      return new AuthRefusedError(
        `broker ${url} refused the credentials (${err.message}); check username and password`,
        { brokerUrl: url, cause: error },
      )
    }
    return new BrokerRefusedError(`broker ${url} refused the connection: ${err.message}`, {
      brokerUrl: url,
      cause: error,
    })
  }
  const library = err.library
  if (
    (typeof code === 'string' &&
      (code.startsWith('ERR_TLS') ||
        code.startsWith('ERR_SSL') ||
        /CERT|SELF_SIGNED|UNABLE_TO_|DEPTH_ZERO|HOSTNAME|ALTNAME/.test(code))) ||
    library === 'SSL routines' ||
    err.message === 'TLS not authorized'
  ) {
    return new TlsError(
      `TLS handshake with ${url} failed: ${err.message}${typeof code === 'string' ? ` (${code})` : ''}` +
        ` — pass the broker CA in ${caSetting}, or check the host name`,
      { brokerUrl: url, cause: error },
    )
  }
  if (typeof code === 'string' && UNREACHABLE_CODES.has(code)) {
    return new BrokerUnreachableError(`broker ${url} is unreachable: ${err.message}`, {
      brokerUrl: url,
      cause: error,
    })
  }
  return new BrokerUnreachableError(`connection to ${url} failed: ${err.message}`, {
    brokerUrl: url,
    cause: error,
  })
}
