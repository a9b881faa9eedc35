/**
 * How a failed start ends: what the operator can fix (a bad variable, file, directory or port) is
 * one line naming it and exit 2, with the stack only at debug level; anything else is a bug,
 * printed with its stack, exit 1. Broker URL passwords never appear.
 */
import { ConfigError } from './config.js'
import { scrubUrlPasswords } from './secrets.js'
import { isFileError, reasonOf, StartupError } from './startup-error.js'

/** Writes the failure to `stderr` and returns the exit code. */
export function reportStartFailure(
  err: unknown,
  stderr: (text: string) => void,
  showStacks: boolean,
): number {
  const e = err as Error
  let line: string | undefined
  if (e instanceof ConfigError || e instanceof StartupError) line = e.message
  else if (isFileError(err))
    line = `${err.path}: ${reasonOf(err)} (${err.syscall ?? 'access'}); check the variable that names it (NARA_DATA_DIR, NARA_TLS_CA, NARA_SOUL_FILE, MQTT_PASS_FILE)`
  if (line === undefined) {
    stderr(`nara: ${scrubUrlPasswords(e?.stack ?? String(err))}\n`)
    return 1
  }
  stderr(`nara: ${scrubUrlPasswords(line)}\n`)
  if (showStacks && e?.stack) stderr(`${scrubUrlPasswords(e.stack)}\n`)
  return 2
}
