/**
 * A nara's identity: what a soul and a name give (key pair, NaraID, bond). `identityFromSoul` is
 * the one way to derive it; `determineIdentity` chooses the name and soul at start-up as Go's
 * `DetermineIdentity` does (WIRE §3.3), with one deliberate difference: an unparseable soul text
 * throws `InvalidSoulError` instead of falling back to an all-zero seed (a publicly known key
 * pair, WIRE §12.20).
 */

import { constantTimeEqual } from './bytes.js'
import { nativeSoulCustom, nativeSoulGenerated } from './hardware.js'
import { type Keypair, keypairFromSoul, publicKeyBase64 } from './keys.js'
import { isGenericHostname, nameFromSoul } from './names.js'
import { computeNaraId } from './nara-id.js'
import { encodeSoul, parseSoul, type Soul, validateBond } from './soul.js'

/** Who a nara is: its name and everything its soul gives it. Holds secrets (soul, seed). */
export interface Identity {
  /** The nara's name. */
  readonly name: string
  /** The decoded soul (secret). */
  readonly soul: Soul
  /** Base58 text of the soul (secret). */
  readonly soulText: string
  /** The Ed25519 key pair of the soul's seed (the seed is secret). */
  readonly keypair: Keypair
  /** Public key, standard base64 (the wire form). */
  readonly publicKeyBase64: string
  /** NaraID (`computeNaraId(soul, name)`). */
  readonly naraId: string
  /** Whether the soul's tag bonds it to `name` (Go runs anyway, logging "Inauthentic"). */
  readonly bondValid: boolean
}

/** The identity of `soul` under `name` (default: the name the soul generates). */
export function identityFromSoul(soul: Soul, name: string = nameFromSoul(soul)): Identity {
  const keypair = keypairFromSoul(soul)
  return Object.freeze({
    name,
    soul,
    soulText: encodeSoul(soul),
    keypair,
    publicKeyBase64: publicKeyBase64(keypair.publicKey),
    naraId: computeNaraId(soul, name),
    bondValid: validateBond(soul, name),
  })
}

/** The outcome of `determineIdentity`: the identity, and how it was chosen. */
export interface DeterminedIdentity extends Identity {
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
): DeterminedIdentity {
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
  return Object.freeze({ ...identityFromSoul(chosen, chosenName), isNative, generatedMode })
}
