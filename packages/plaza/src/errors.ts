/** The closed set of plaza error codes. Each has one class below; tests check `err.name`. */
export type PlazaErrorCode =
  | 'invalid-options'
  | 'invalid-broker-url'
  | 'auth-refused'
  | 'tls'
  | 'unreachable'
  | 'connect-timeout'
  | 'broker-refused'
  | 'connection-lost'
  | 'subscribe-failed'

/** Base class of every plaza error. Messages name the broker URL without credentials. */
export abstract class PlazaError extends Error {
  abstract readonly code: PlazaErrorCode
  /** Broker URL with any user info removed, when the error concerns a broker. */
  readonly brokerUrl: string | undefined

  constructor(message: string, options: { brokerUrl?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.brokerUrl = options.brokerUrl
  }
}

/** Options are missing or out of range. Thrown synchronously by `createPlaza`. */
export class InvalidOptionsError extends PlazaError {
  override readonly name = 'InvalidOptionsError'
  readonly code = 'invalid-options'
}

/** The broker URL cannot be parsed or uses an unsupported scheme. */
export class InvalidBrokerUrlError extends PlazaError {
  override readonly name = 'InvalidBrokerUrlError'
  readonly code = 'invalid-broker-url'
}

/** The broker refused the credentials (CONNACK "bad username or password" / "not authorized"). */
export class AuthRefusedError extends PlazaError {
  override readonly name = 'AuthRefusedError'
  readonly code = 'auth-refused'
}

/** The TLS handshake failed, typically certificate verification. */
export class TlsError extends PlazaError {
  override readonly name = 'TlsError'
  readonly code = 'tls'
}

/** No TCP connection could be made (refused, DNS failure, host unreachable...). */
export class BrokerUnreachableError extends PlazaError {
  override readonly name = 'BrokerUnreachableError'
  readonly code = 'unreachable'
}

/** The broker did not answer CONNECT within `connectTimeoutMs`. */
export class ConnectTimeoutError extends PlazaError {
  override readonly name = 'ConnectTimeoutError'
  readonly code = 'connect-timeout'
}

/** The broker refused the connection for another reason (CONNACK code), or broke protocol. */
export class BrokerRefusedError extends PlazaError {
  override readonly name = 'BrokerRefusedError'
  readonly code = 'broker-refused'
}

/** An established connection was lost. */
export class ConnectionLostError extends PlazaError {
  override readonly name = 'ConnectionLostError'
  readonly code = 'connection-lost'
}

/**
 * The broker refused (SUBACK 0x80) or never answered a SUBSCRIBE for `topic`, three times (1 s,
 * then 2 s apart, as Go). The plaza then drops the connection, so the reconnect loop runs
 * instead of staying connected and deaf.
 */
export class SubscribeFailedError extends PlazaError {
  override readonly name = 'SubscribeFailedError'
  readonly code = 'subscribe-failed'
  /** The topic filter that could not be subscribed. */
  readonly topic: string

  constructor(message: string, options: { brokerUrl?: string; cause?: unknown; topic: string }) {
    super(message, options)
    this.topic = options.topic
  }
}

/** Any connect failure the reconnect loop reports. */
export type ConnectError =
  | AuthRefusedError
  | TlsError
  | BrokerUnreachableError
  | ConnectTimeoutError
  | BrokerRefusedError
