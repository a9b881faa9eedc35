/**
 * The closed set of errors `@nara/crypto` throws. One class per failure kind; each sets `name`
 * (tests and callers check `err.name`) and a stable `code`. Messages never contain key material.
 *
 * Throwing is reserved for misuse by the caller (wrong types, wrong lengths of keys the caller
 * supplies, unparseable souls). Data that arrives from the wire never throws: a bad signature is
 * `false`, a bad message is a `reject` verdict.
 */

/** A soul text did not decode to exactly 40 bytes (WIRE §3.1), or a soul object is malformed. */
export class InvalidSoulError extends Error {
  static readonly code = 'ERR_INVALID_SOUL'
  readonly code = InvalidSoulError.code
  override readonly name = 'InvalidSoulError'
}

/** A string contained characters outside the Bitcoin base58 alphabet. */
export class InvalidBase58Error extends Error {
  static readonly code = 'ERR_INVALID_BASE58'
  readonly code = InvalidBase58Error.code
  override readonly name = 'InvalidBase58Error'
}

/** A byte argument was not a `Uint8Array` (or a string argument not a string). */
export class InvalidInputTypeError extends TypeError {
  static readonly code = 'ERR_INVALID_INPUT_TYPE'
  readonly code = InvalidInputTypeError.code
  override readonly name = 'InvalidInputTypeError'
}

/** A public key supplied by the caller is not 32 bytes (or its base64 text does not decode to 32). */
export class InvalidPublicKeyError extends RangeError {
  static readonly code = 'ERR_INVALID_PUBLIC_KEY'
  readonly code = InvalidPublicKeyError.code
  override readonly name = 'InvalidPublicKeyError'
}

/** A private seed supplied by the caller is not 32 bytes. */
export class InvalidSeedError extends RangeError {
  static readonly code = 'ERR_INVALID_SEED'
  readonly code = InvalidSeedError.code
  override readonly name = 'InvalidSeedError'
}

/** A signature handed to a low-level `verify` is not 64 bytes. */
export class InvalidSignatureLengthError extends RangeError {
  static readonly code = 'ERR_INVALID_SIGNATURE_LENGTH'
  readonly code = InvalidSignatureLengthError.code
  override readonly name = 'InvalidSignatureLengthError'
}

/** A message could not be built because a required field is missing or has the wrong shape. */
export class InvalidMessageError extends TypeError {
  static readonly code = 'ERR_INVALID_MESSAGE'
  readonly code = InvalidMessageError.code
  override readonly name = 'InvalidMessageError'
}

/** A named Ed25519 backend (e.g. `sodium`) cannot be loaded in this process. */
export class BackendUnavailableError extends Error {
  static readonly code = 'ERR_BACKEND_UNAVAILABLE'
  readonly code = BackendUnavailableError.code
  override readonly name = 'BackendUnavailableError'
}
