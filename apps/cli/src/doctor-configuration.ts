/**
 * The first `nara doctor` step: the configuration (environment and flags) resolves, the CA file
 * reads, and the soul, if any, parses and is bonded to the name. Offline; never touches the
 * broker.
 */
import type { Settings } from './config.js'
import { type CliContext, settingsFor } from './context.js'
import type { DoctorFlags, StepResult } from './doctor-steps.js'
import { type CliError, ConfigError } from './errors.js'
import { configuredSoulText, identityFromSoul, parseSoulText } from './identity.js'
import { readTlsFiles } from './tls-files.js'

const fail = (detail: string, fix: string): { result: StepResult } => ({
  result: { step: 'configuration', status: 'fail', detail, fix },
})

/** The configuration step; `settings` only when the network steps can go on. */
export async function checkConfiguration(
  ctx: CliContext,
  flags: DoctorFlags,
): Promise<{ result: StepResult; settings?: Settings }> {
  let settings: Settings
  try {
    settings = settingsFor(ctx, flags)
  } catch (error) {
    if (error instanceof ConfigError) {
      return fail(
        error.problems.join('; '),
        'fix the variables or flags named above (see `nara --help`)',
      )
    }
    throw error
  }
  const { broker, brokers } = settings
  const notes = [
    brokers.length === 1
      ? `broker ${broker.url}`
      : `brokers ${brokers.map((b) => b.url).join(', ')}`,
  ]
  notes.push(broker.username !== undefined ? `user "${broker.username}"` : 'no credentials')
  try {
    await readTlsFiles(broker)
  } catch (error) {
    return fail(
      (error as CliError).message,
      'point NARA_TLS_CA / NARA_TLS_CERT / NARA_TLS_KEY (or --tls-ca, --cert, --key) at readable PEM files',
    )
  }
  if (broker.tlsCaFile) notes.push(`trusting CA ${broker.tlsCaFile}`)
  if (broker.tlsCertFile) notes.push(`client certificate ${broker.tlsCertFile}`)
  let warning: string | undefined
  try {
    warning = await checkSoul(settings, notes)
  } catch (error) {
    const failure = error as CliError
    return fail(failure.message, failure.hint ?? 'fix NARA_SOUL or --soul-file')
  }
  if (broker.tlsInsecure) warning ??= 'NARA_TLS_INSECURE: the broker certificate is not verified'
  if (!warning)
    return { settings, result: { step: 'configuration', status: 'ok', detail: notes.join(', ') } }
  return {
    settings,
    result: {
      step: 'configuration',
      status: 'warn',
      detail: `${notes.join(', ')}; ${warning}`,
      fix: warning.startsWith('NARA_TLS_INSECURE')
        ? 'set NARA_TLS_CA to the CA of the broker instead'
        : settings.name === undefined
          ? 'set NARA_ID (or --name) to the name this soul was made for'
          : 'check NARA_ID, or make a soul for this name with `nara soul new --name <name>`',
    },
  }
}

/** Notes the nara the soul makes (or that there is none); returns a warning on a broken bond. */
async function checkSoul(settings: Settings, notes: string[]): Promise<string | undefined> {
  const soul = await configuredSoulText(settings)
  if (!soul) {
    notes.push('no soul (fine for watch/who; tease and say need one)')
    return undefined
  }
  const identity = identityFromSoul(parseSoulText(soul.text, soul.source), settings.name)
  notes.push(`nara "${identity.name}"`)
  if (identity.bondValid) return undefined
  return settings.name === undefined
    ? `the soul is not bonded to its derived name "${identity.name}"`
    : `the soul is not bonded to the name "${identity.name}"`
}
