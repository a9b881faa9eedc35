import { computeNaraId, keypairFromSoul, parseSoul, publicKeyBase64 } from '@nara/crypto'
import { isValidName } from '@nara/protocol'
import { InvalidOptionsError } from './errors.js'
import type { IdentityOptions } from './options.js'

/** Our identity as peers see it (no secrets). */
export interface PlazaIdentity {
  readonly name: string
  readonly naraId: string
  readonly publicKeyBase64: string
}

/** A speaker's identity and key pair (the seed is secret: never logged). */
export interface SpeakerKeys {
  readonly identity: PlazaIdentity
  readonly seed: Uint8Array
  readonly publicKey: Uint8Array
}

/** Checks the name and derives the keys from the soul (never echoes the soul). */
export function speakerKeys(identity: IdentityOptions): SpeakerKeys {
  const name = identity?.name
  if (typeof name !== 'string' || !isValidName(name)) {
    throw new InvalidOptionsError('identity.name must be a valid nara name (no /, +, #, controls)')
  }
  try {
    const soul = parseSoul(identity.soul)
    const keypair = keypairFromSoul(soul)
    const naraId = computeNaraId(soul, name)
    const pub = publicKeyBase64(keypair.publicKey)
    return {
      identity: Object.freeze({ name, naraId, publicKeyBase64: pub }),
      seed: keypair.seed,
      publicKey: keypair.publicKey,
    }
  } catch {
    throw new InvalidOptionsError('identity.soul is not a valid soul (base58 of 40 bytes)')
  }
}
