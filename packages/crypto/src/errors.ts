/**
 * The closed set of errors `@nara/crypto` throws: one class per failure kind, each with a static
 * `name` (tests and callers check `err.name`), a default message and a stable `code`. Messages
 * never contain key material.
 *
 * Throwing is reserved for misuse by the caller (wrong types or lengths of what the caller
 * supplies, unparseable souls). Data that arrives from the wire never throws: a bad signature is
 * `false`, a bad message is a `reject` verdict.
 *
 * Every class is `instanceof CryptoError`. Misuse of types and lengths also stays
 * `instanceof TypeError` / `RangeError` (noble's convention): those classes extend the built-in
 * and `CryptoError` recognises them by their code.
 */

/** The error codes, one per class. */
export type CryptoErrorCode =
  | 'ERR_INVALID_SOUL'
  | 'ERR_INVALID_BASE58'
  | 'ERR_INVALID_INPUT_TYPE'
  | 'ERR_INVALID_ARGUMENT'
  | 'ERR_INVALID_PUBLIC_KEY'
  | 'ERR_INVALID_SEED'
  | 'ERR_INVALID_SIGNATURE_LENGTH'
  | 'ERR_INVALID_MESSAGE'
  | 'ERR_BACKEND_UNAVAILABLE'

/** The base class of every error `@nara/crypto` throws; `code` names the failure kind. */
export class CryptoError extends Error {
  static override readonly name: string = 'CryptoError'
  readonly code: CryptoErrorCode
  constructor(code: CryptoErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = 'CryptoError'
  }
}

/** A soul text did not decode to exactly 40 bytes (WIRE §3.1), or a soul object is malformed. */
export class InvalidSoulError extends CryptoError {
  static override readonly name = 'InvalidSoulError'
  static readonly code = 'ERR_INVALID_SOUL'
  constructor(message = 'not a soul (base58 text of 40 bytes)') {
    super('ERR_INVALID_SOUL', message)
    this.name = 'InvalidSoulError'
  }
}

/** A string contained characters outside the Bitcoin base58 alphabet. */
export class InvalidBase58Error extends CryptoError {
  static override readonly name = 'InvalidBase58Error'
  static readonly code = 'ERR_INVALID_BASE58'
  constructor(message = 'not base58 text') {
    super('ERR_INVALID_BASE58', message)
    this.name = 'InvalidBase58Error'
  }
}

/** A byte argument was not a `Uint8Array` (or a string argument not a string). */
export class InvalidInputTypeError extends TypeError {
  static override readonly name = 'InvalidInputTypeError'
  static readonly code = 'ERR_INVALID_INPUT_TYPE'
  readonly code = 'ERR_INVALID_INPUT_TYPE'
  constructor(message = 'wrong argument type') {
    super(message)
    this.name = 'InvalidInputTypeError'
  }
}

/** A numeric argument is out of its documented range. */
export class InvalidArgumentError extends RangeError {
  static override readonly name = 'InvalidArgumentError'
  static readonly code = 'ERR_INVALID_ARGUMENT'
  readonly code = 'ERR_INVALID_ARGUMENT'
  constructor(message = 'argument out of range') {
    super(message)
    this.name = 'InvalidArgumentError'
  }
}

/** A public key supplied by the caller is not 32 bytes (or its base64 text does not decode to 32). */
export class InvalidPublicKeyError extends RangeError {
  static override readonly name = 'InvalidPublicKeyError'
  static readonly code = 'ERR_INVALID_PUBLIC_KEY'
  readonly code = 'ERR_INVALID_PUBLIC_KEY'
  constructor(message = 'a public key is 32 bytes') {
    super(message)
    this.name = 'InvalidPublicKeyError'
  }
}

/** A private seed supplied by the caller is not 32 bytes. */
export class InvalidSeedError extends RangeError {
  static override readonly name = 'InvalidSeedError'
  static readonly code = 'ERR_INVALID_SEED'
  readonly code = 'ERR_INVALID_SEED'
  constructor(message = 'a seed is 32 bytes') {
    super(message)
    this.name = 'InvalidSeedError'
  }
}

/** A signature handed to a low-level `verify` is not 64 bytes. */
export class InvalidSignatureLengthError extends RangeError {
  static override readonly name = 'InvalidSignatureLengthError'
  static readonly code = 'ERR_INVALID_SIGNATURE_LENGTH'
  readonly code = 'ERR_INVALID_SIGNATURE_LENGTH'
  constructor(message = 'a signature is 64 bytes') {
    super(message)
    this.name = 'InvalidSignatureLengthError'
  }
}

/** A message could not be built because a required field is missing or has the wrong shape. */
export class InvalidMessageError extends TypeError {
  static override readonly name = 'InvalidMessageError'
  static readonly code = 'ERR_INVALID_MESSAGE'
  readonly code = 'ERR_INVALID_MESSAGE'
  constructor(message = 'a required message field is missing') {
    super(message)
    this.name = 'InvalidMessageError'
  }
}

/** A named Ed25519 backend (e.g. `sodium`) cannot be loaded in this process. */
export class BackendUnavailableError extends CryptoError {
  static override readonly name = 'BackendUnavailableError'
  static readonly code = 'ERR_BACKEND_UNAVAILABLE'
  constructor(message = 'that Ed25519 backend is not available here') {
    super('ERR_BACKEND_UNAVAILABLE', message)
    this.name = 'BackendUnavailableError'
  }
}

const MISUSE: ReadonlySet<unknown> = new Set([
  InvalidInputTypeError,
  InvalidArgumentError,
  InvalidPublicKeyError,
  InvalidSeedError,
  InvalidSignatureLengthError,
  InvalidMessageError,
])

/**
 * `instanceof CryptoError` is true for every error of this package, the TypeError/RangeError
 * misuse classes included (they cannot extend CryptoError). Subclasses keep the plain check.
 */
Object.defineProperty(CryptoError, Symbol.hasInstance, {
  value(this: unknown, value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    return this === CryptoError && value instanceof Error && MISUSE.has(value.constructor)
  },
})
