/** A running test broker, whatever its implementation. */
export interface TestBroker {
  /** `aedes` or `mosquitto`. */
  readonly name: string
  /** Plain MQTT URL, e.g. `mqtt://127.0.0.1:41234`. */
  readonly url: string
  readonly host: string
  readonly port: number
  /** TLS URL (`mqtts://localhost:PORT`) when a TLS listener was configured. */
  readonly tlsUrl?: string
  readonly tlsPort?: number
  /** Stops the broker gracefully; every client connection is dropped. Idempotent. */
  stop(): Promise<void>
  /** Kills the broker abruptly (SIGKILL for mosquitto; same as `stop` for aedes). */
  kill(): Promise<void>
  /** Starts the broker again on the SAME port(s) after `stop`/`kill`. */
  restart(): Promise<void>
  /** Stops the broker for good and removes its temporary files. Idempotent. */
  close(): Promise<void>
}

/** A TLS listener next to the plain one (PEM file paths, see `makeTestPki`). */
export interface BrokerTlsOptions {
  caFile: string
  certFile: string
  keyFile: string
  /** Listen for TLS on this port instead of a free one. */
  port?: number
  /** Ask clients for a certificate signed by `caFile`. Default false. */
  requireClientCertificate?: boolean
}

/** Options every broker factory understands. */
export interface BrokerOptions {
  /** Listen on this port instead of a free one. */
  port?: number
  /** Require these credentials (anonymous access is then refused). */
  username?: string
  password?: string
  /** Adds a TLS listener on `localhost` (the plain listener stays): `tlsUrl` is `mqtts://localhost:PORT`. */
  tls?: BrokerTlsOptions
}

export interface BrokerFactory<O extends BrokerOptions = BrokerOptions> {
  readonly name: string
  start(options?: O): Promise<TestBroker>
}
