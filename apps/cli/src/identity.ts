/**
 * Our own identity for signing commands (`tease`, `say`): the soul from `--soul-file` or
 * NARA_SOUL, the name from `--name`/NARA_ID or else derived from the soul (like a Go nara in
 * generated-name mode). The soul never leaves this module except as the key pair.
 */
import { type Identity, identityFromSoul, parseSoul, type Soul } from '@nara/crypto'
import type { Settings } from './config.js'
import { InputError, UsageError } from './errors.js'
import { readTextFile } from './io-helpers.js'

// The one identity type and derivation, from @nara/crypto.
export { type Identity, identityFromSoul } from '@nara/crypto'

/** Parses soul text, turning a parse failure into an InputError that never echoes the text. */
export function parseSoulText(text: string, source: string): Soul {
  try {
    return parseSoul(text.trim())
  } catch {
    throw new InputError(
      `${source} is not a soul (base58 text of 40 bytes)`,
      'make one with `nara soul new`, or check that the whole soul was copied',
    )
  }
}

/** The configured soul text, from --soul-file or NARA_SOUL; undefined when neither is set. */
export async function configuredSoulText(
  settings: Settings,
): Promise<{ text: string; source: string } | undefined> {
  if (settings.soulFile) {
    return {
      text: await readTextFile(settings.soulFile, 'soul file'),
      source: `soul file ${settings.soulFile}`,
    }
  }
  if (settings.soul) return { text: settings.soul, source: 'NARA_SOUL' }
  return undefined
}

/** Builds the identity used to sign; throws a UsageError when no soul is configured. */
export async function loadIdentity(settings: Settings): Promise<Identity> {
  const configured = await configuredSoulText(settings)
  if (!configured) {
    throw new UsageError(
      'no soul configured: signing needs your soul',
      'set NARA_SOUL or pass --soul-file <file> (make a soul with `nara soul new`)',
    )
  }
  const soul = parseSoulText(configured.text, configured.source)
  const identity = identityFromSoul(soul, settings.name)
  if (settings.name === undefined && !identity.bondValid) {
    // Signing under a quirky name the soul is not bonded to is almost surely a mistake.
    throw new UsageError(
      `no name configured, and the soul is not bonded to its derived name "${identity.name}"`,
      'set NARA_ID or pass --name with the name this soul was made for',
    )
  }
  return identity
}
