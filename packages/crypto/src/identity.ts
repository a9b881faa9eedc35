/**
 * Choosing a nara's name and soul at start-up (Go `DetermineIdentity`, WIRE §3.3), with one
 * deliberate difference: an unparseable soul text throws `InvalidSoulError` instead of falling
 * back to an all-zero seed (a publicly known key pair, WIRE §12.20).
 */

import { constantTimeEqual } from './bytes.js'
import { nativeSoulCustom, nativeSoulGenerated } from './hardware.js'
import { keypairFromSoul, publicKeyBase64 } from './keys.js'
import { isGenericHostname, nameFromSoul } from './names.js'
import { computeNaraId } from './nara-id.js'
import { encodeSoul, parseSoul, type Soul, validateBond } from './soul.js'

/** The outcome of `determineIdentity`. */
export interface IdentityResult {
  /** The nara's name. */
  readonly name: string
  /** The decoded soul (secret). */
  readonly soul: Soul
  /** Base58 text of the soul (secret). */
  readonly soulText: string
  /** NaraID (`computeNaraId(soul, name)`). */
  readonly naraId: string
  /** Public key, standard base64. */
  readonly publicKeyBase64: string
  /** Whether the soul's tag bonds it to `name` (Go only logs "Inauthentic" when false). */
  readonly isValidBond: boolean
  /** Whether the soul is the one this hardware derives in the same mode. */
  readonly isNative: boolean
  /** Whether the name came from the soul (generic hostname or name). */
  readonly generatedMode: boolean
}

/**
 * Go's `DetermineIdentity(nameArg, soulArg, hostname, hwFingerprint)`.
 * @param name - explicit name (`-nara-id`), or `""`
 * @param soul - soul text (`-soul`), or `""` to derive a native soul from `fingerprint`
 * @param hostname - short hostname (cut at the first `.`), used when `name` is empty
 * @param fingerprint - hardware fingerprint (`hashHardware(...)`), 32 bytes
 * @throws InvalidSoulError when `soul` is non-empty and does not parse (Go falls back to zeros)
 */
export function determineIdentity(
  name: string,
  soul: string,
  hostname: string,
  fingerprint: Uint8Array,
): IdentityResult {
  const effective = name !== '' ? name : hostname
  const generatedMode = isGenericHostname(effective)
  let chosen: Soul
  let chosenName: string
  if (soul !== '') {
    chosen = parseSoul(soul)
    chosenName = generatedMode ? nameFromSoul(chosen) : effective
  } else if (generatedMode) {
    chosen = nativeSoulGenerated(fingerprint)
    chosenName = nameFromSoul(chosen)
  } else {
    chosenName = effective
    chosen = nativeSoulCustom(fingerprint, chosenName)
  }
  const expected = generatedMode
    ? nativeSoulGenerated(fingerprint)
    : nativeSoulCustom(fingerprint, chosenName)
  const isNative =
    constantTimeEqual(chosen.seed, expected.seed) && constantTimeEqual(chosen.tag, expected.tag)
  return Object.freeze({
    name: chosenName,
    soul: chosen,
    soulText: encodeSoul(chosen),
    naraId: computeNaraId(chosen, chosenName),
    publicKeyBase64: publicKeyBase64(keypairFromSoul(chosen).publicKey),
    isValidBond: validateBond(chosen, chosenName),
    isNative,
    generatedMode,
  })
}
