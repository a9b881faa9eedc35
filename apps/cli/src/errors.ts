/**
 * The closed set of ways a `nara` command can fail. One base class, {@link CliError}, with a
 * `code`, an exit code and a `hint`; one subclass per failure kind, each with a stable
 * `static name` (also its instances' `name`, so tests and callers check `err.name`, which
 * survives minification and module copies, rather than `instanceof`). Every message says what
 * went wrong and `hint` what to do about it. Messages never contain a soul, a password or any
 * other secret.
 */

/** Exit codes of the `nara` command (also documented in the README). */
export const ExitCode = {
  ok: 0,
  /** A check said no: a rejected message, a failed doctor step, a broken bond. */
  failed: 1,
  /** The command line, the environment or an input file is wrong. */
  usage: 2,
  /** The broker (or, for `nara status`, the agent) could not be reached, refused us, or did not confirm in time. */
  broker: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** One code per failure kind (one class each, below). */
export type CliErrorCode =
  | 'usage'
  | 'config'
  | 'input'
  | 'broker'
  | 'agent'
  | 'unexpected'
  | 'mqtt-refused'
  | 'mqtt-subscribe-denied'
  | 'mqtt-timeout'
  | 'mqtt-closed'
  | 'mqtt-transport'

interface CliErrorOptions {
  exitCode: ExitCode
  hint?: string | undefined
  cause?: unknown
}

/** Base class: a failure that is reported as one line on stderr plus a hint. */
export abstract class CliError extends Error {
  static override readonly name: string = 'CliError'
  abstract readonly code: CliErrorCode
  readonly exitCode: ExitCode
  readonly hint: string | undefined

  constructor(message: string, options: CliErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    // The subclass's static name: one string per class, set once here.
    this.name = (new.target as { readonly name: string }).name
    this.exitCode = options.exitCode
    this.hint = options.hint
  }
}

/** Bad flags or arguments. */
export class UsageError extends CliError {
  static override readonly name = 'UsageError'
  readonly code = 'usage'
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint: hint ?? 'see `nara <command> --help`' })
  }
}

/** Bad environment variables or flag values describing the configuration. */
export class ConfigError extends CliError {
  static override readonly name = 'ConfigError'
  readonly code = 'config'
  readonly problems: readonly string[]
  constructor(problems: readonly string[], hint?: string) {
    super(`bad configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`, {
      exitCode: ExitCode.usage,
      hint: hint ?? 'fix the variables above (see `nara --help` and `nara doctor`)',
    })
    this.problems = problems
  }
}

/** An input file or stdin that cannot be read or parsed (keyring file, soul file, capture). */
export class InputError extends CliError {
  static override readonly name = 'InputError'
  readonly code = 'input'
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.usage, hint, cause })
  }
}

/** The broker is unreachable, refused the connection, or did not confirm a publish. */
export class BrokerError extends CliError {
  static override readonly name = 'BrokerError'
  readonly code = 'broker'
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, {
      exitCode: ExitCode.broker,
      hint: hint ?? 'run `nara doctor` to check the broker settings step by step',
      cause,
    })
  }
}

/** A running agent's HTTP endpoint (`nara status`) is unreachable or sent no status document. */
export class AgentError extends CliError {
  static override readonly name = 'AgentError'
  readonly code = 'agent'
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.broker, hint, cause })
  }
}

/** Anything else that escaped a command: a bug in nara, reported as such (exit 1). */
export class UnexpectedError extends CliError {
  static override readonly name = 'UnexpectedError'
  readonly code = 'unexpected'
  constructor(cause: unknown) {
    const message = cause instanceof Error ? cause.message : String(cause)
    super(`unexpected failure: ${message}`, {
      exitCode: ExitCode.failed,
      hint: 'this is a bug in nara; please report it with the command you ran',
      cause,
    })
  }
}

// The doctor's MQTT steps (`doctor-mqtt.ts`): each says what the broker answered, so the
// doctor can name the fix. They end up as failed doctor steps (exit 1), not thrown to the top.

const DOCTOR_HINT = 'run `nara doctor` to check the broker settings step by step'

/** What the doctor's MQTT failures share: a broker failure (exit 3) with the doctor's hint. */
abstract class DoctorMqttError extends CliError {
  constructor(message: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.broker, hint: DOCTOR_HINT, cause })
  }
}

/** The broker refused CONNECT: `returnCode` is the CONNACK return code (reason code in MQTT 5). */
export class MqttRefusedError extends DoctorMqttError {
  static override readonly name = 'MqttRefusedError'
  readonly code = 'mqtt-refused'
  constructor(
    message: string,
    readonly returnCode: number,
  ) {
    super(message)
  }
}

/** The broker refused a subscription (SUBACK 0x80). */
export class MqttSubscribeDeniedError extends DoctorMqttError {
  static override readonly name = 'MqttSubscribeDeniedError'
  readonly code = 'mqtt-subscribe-denied'
}

/** The broker did not answer (CONNACK, SUBACK, PUBACK, our own message) in time. */
export class MqttTimeoutError extends DoctorMqttError {
  static override readonly name = 'MqttTimeoutError'
  readonly code = 'mqtt-timeout'
}

/** The broker closed the connection. */
export class MqttClosedError extends DoctorMqttError {
  static override readonly name = 'MqttClosedError'
  readonly code = 'mqtt-closed'
}

/** The socket, the WebSocket upgrade, a subscribe or a publish failed underneath MQTT. */
export class MqttTransportError extends DoctorMqttError {
  static override readonly name = 'MqttTransportError'
  readonly code = 'mqtt-transport'
}

/** An error as one line: a {@link CliError}'s message, or a Node error's message and errno code. */
export function errorText(error: unknown): string {
  if (error instanceof CliError) return error.message
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code
    return code && !error.message.includes(code) ? `${error.message} (${code})` : error.message
  }
  return String(error)
}
