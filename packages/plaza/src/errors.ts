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
  | 'verify-worker'

/** What every plaza error may carry besides its message. */
export interface PlazaErrorOptions {
  /** Broker URL without credentials, when the error concerns a broker. */
  brokerUrl?: string
  /** The underlying error (MQTT.js, socket, TLS...). */
  cause?: unknown
}

/**
 * Base class of every error the plaza throws or reports (misuse of a low-level helper aside:
 * `TypeError`/`RangeError`). Each failure kind is one subclass with a stable `name` (also its
 * static `name`, so `err.name === TlsError.name`) and one `code`; messages name the broker URL
 * without credentials and never a key or a secret.
 */
export abstract class PlazaError extends Error {
  abstract readonly code: PlazaErrorCode
  /** Broker URL with any user info removed, when the error concerns a broker. */
  readonly brokerUrl: string | undefined

  constructor(message: string, options: PlazaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.brokerUrl = options.brokerUrl
  }
}

/** Options are missing or out of range. Thrown synchronously by `createPlaza`. */
export class InvalidOptionsError extends PlazaError {
  static override readonly name = 'InvalidOptionsError'
  override readonly name = 'InvalidOptionsError'
  readonly code = 'invalid-options'

  constructor(message = 'invalid plaza options', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** The broker URL cannot be parsed or uses an unsupported scheme. */
export class InvalidBrokerUrlError extends PlazaError {
  static override readonly name = 'InvalidBrokerUrlError'
  override readonly name = 'InvalidBrokerUrlError'
  readonly code = 'invalid-broker-url'

  constructor(message = 'invalid broker URL', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** The broker refused the credentials (CONNACK "bad username or password" / "not authorized"). */
export class AuthRefusedError extends PlazaError {
  static override readonly name = 'AuthRefusedError'
  override readonly name = 'AuthRefusedError'
  readonly code = 'auth-refused'

  constructor(message = 'the broker refused the credentials', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** The TLS handshake failed, typically certificate verification. */
export class TlsError extends PlazaError {
  static override readonly name = 'TlsError'
  override readonly name = 'TlsError'
  readonly code = 'tls'

  constructor(message = 'the TLS handshake failed', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** No TCP connection could be made (refused, DNS failure, host unreachable...). */
export class BrokerUnreachableError extends PlazaError {
  static override readonly name = 'BrokerUnreachableError'
  override readonly name = 'BrokerUnreachableError'
  readonly code = 'unreachable'

  constructor(message = 'the broker is unreachable', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** The broker did not answer CONNECT within `connectTimeoutMs`. */
export class ConnectTimeoutError extends PlazaError {
  static override readonly name = 'ConnectTimeoutError'
  override readonly name = 'ConnectTimeoutError'
  readonly code = 'connect-timeout'

  constructor(
    message = 'the broker did not answer CONNECT in time',
    options: PlazaErrorOptions = {},
  ) {
    super(message, options)
  }
}

/** The broker refused the connection for another reason (CONNACK code), or broke protocol. */
export class BrokerRefusedError extends PlazaError {
  static override readonly name = 'BrokerRefusedError'
  override readonly name = 'BrokerRefusedError'
  readonly code = 'broker-refused'

  constructor(message = 'the broker refused the connection', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** An established connection was lost. */
export class ConnectionLostError extends PlazaError {
  static override readonly name = 'ConnectionLostError'
  override readonly name = 'ConnectionLostError'
  readonly code = 'connection-lost'

  constructor(message = 'the connection to the broker was lost', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/**
 * The broker refused (SUBACK 0x80) or never answered a SUBSCRIBE for `topic`, three times (1 s,
 * then 2 s apart, as Go). The plaza then drops the connection, so the reconnect loop runs
 * instead of staying connected and deaf.
 */
export class SubscribeFailedError extends PlazaError {
  static override readonly name = 'SubscribeFailedError'
  override readonly name = 'SubscribeFailedError'
  readonly code = 'subscribe-failed'
  /** The topic filter that could not be subscribed. */
  readonly topic: string

  constructor(message: string, options: PlazaErrorOptions & { topic: string }) {
    super(message, options)
    this.topic = options.topic
  }
}

/**
 * A verify worker (`verifyWorkers > 0`) could not start: its module or `@nara/crypto` failed to
 * load in the worker thread. `start()` rejects with it.
 */
export class VerifyWorkerError extends PlazaError {
  static override readonly name = 'VerifyWorkerError'
  override readonly name = 'VerifyWorkerError'
  readonly code = 'verify-worker'

  constructor(message = 'a verify worker could not start', options: PlazaErrorOptions = {}) {
    super(message, options)
  }
}

/** Any connect failure the reconnect loop reports. */
export type ConnectError =
  | AuthRefusedError
  | TlsError
  | BrokerUnreachableError
  | ConnectTimeoutError
  | BrokerRefusedError
