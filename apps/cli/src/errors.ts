/**
 * The closed set of ways a `nara` command can fail. Each kind has one class, one `name` and one
 * exit code; every message says what went wrong and `hint` says what to do about it. Messages
 * never contain a soul, a password or any other secret.
 */

/** Exit codes of the `nara` command (also documented in the README). */
export const ExitCode = {
  ok: 0,
  /** A check said no: a rejected message, a failed doctor step, a broken bond. */
  failed: 1,
  /** The command line, the environment or an input file is wrong. */
  usage: 2,
  /** The broker could not be reached, refused us, or did not confirm in time. */
  broker: 3,
} as const
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode]

/** Base class: a failure that is reported as one line on stderr plus a hint. */
export class CliError extends Error {
  override name = 'CliError'
  readonly exitCode: ExitCode
  readonly hint: string | undefined

  constructor(message: string, options: { exitCode: ExitCode; hint?: string; cause?: unknown }) {
    super(message, { cause: options.cause })
    this.exitCode = options.exitCode
    this.hint = options.hint
  }
}

/** Bad flags or arguments. */
export class UsageError extends CliError {
  override name = 'UsageError'
  constructor(message: string, hint?: string) {
    super(message, { exitCode: ExitCode.usage, hint: hint ?? 'see `nara <command> --help`' })
  }
}

/** Bad environment variables or flag values describing the configuration. */
export class ConfigError extends CliError {
  override name = 'ConfigError'
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
  override name = 'InputError'
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, { exitCode: ExitCode.usage, hint, cause })
  }
}

/** The broker is unreachable, refused the connection, or did not confirm a publish. */
export class BrokerError extends CliError {
  override name = 'BrokerError'
  constructor(message: string, hint?: string, cause?: unknown) {
    super(message, {
      exitCode: ExitCode.broker,
      hint: hint ?? 'run `nara doctor` to check the broker settings step by step',
      cause,
    })
  }
}
