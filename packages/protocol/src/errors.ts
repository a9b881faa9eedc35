/**
 * The closed set of errors `@nara/protocol` throws: one class per failure kind, each with a
 * static `name` (tests and callers check `err.name`), a default message and a stable `code`.
 *
 * Only encoders and topic builders throw, and only on caller misuse (a bad name, an integer out
 * of range): they extend the built-in `RangeError`/`TypeError` (noble's convention) and are all
 * `instanceof ProtocolError`. Decoding never throws: `decodeMessage` returns reasons.
 */

/** The error codes, one per class. */
export type ProtocolErrorCode =
  | 'ERR_INVALID_NAME'
  | 'ERR_INVALID_INTEGER'
  | 'ERR_INVALID_FLOAT'
  | 'ERR_INVALID_INPUT_TYPE'

/** The base of every error `@nara/protocol` throws; `code` names the failure kind. */
export class ProtocolError extends Error {
  static override readonly name: string = 'ProtocolError'
  readonly code: ProtocolErrorCode
  constructor(code: ProtocolErrorCode, message: string) {
    super(message)
    this.code = code
    this.name = 'ProtocolError'
  }
}

/** A nara name cannot be used in a topic (see `isValidName`). */
export class InvalidNameError extends RangeError {
  static override readonly name = 'InvalidNameError'
  static readonly code = 'ERR_INVALID_NAME'
  readonly code = 'ERR_INVALID_NAME'
  constructor(message = 'invalid nara name') {
    super(message)
    this.name = 'InvalidNameError'
  }
}

/** An integer field to encode is outside its Go type's range. */
export class InvalidIntegerError extends RangeError {
  static override readonly name = 'InvalidIntegerError'
  static readonly code = 'ERR_INVALID_INTEGER'
  readonly code = 'ERR_INVALID_INTEGER'
  constructor(message = 'integer out of range') {
    super(message)
    this.name = 'InvalidIntegerError'
  }
}

/** A float field to encode is NaN or infinite (Go's encoder refuses them too). */
export class InvalidFloatError extends RangeError {
  static override readonly name = 'InvalidFloatError'
  static readonly code = 'ERR_INVALID_FLOAT'
  readonly code = 'ERR_INVALID_FLOAT'
  constructor(message = 'number not representable in JSON') {
    super(message)
    this.name = 'InvalidFloatError'
  }
}

/** A field to encode has the wrong JavaScript type (e.g. `ts` not a bigint). */
export class InvalidInputTypeError extends TypeError {
  static override readonly name = 'InvalidInputTypeError'
  static readonly code = 'ERR_INVALID_INPUT_TYPE'
  readonly code = 'ERR_INVALID_INPUT_TYPE'
  constructor(message = 'wrong argument type') {
    super(message)
    this.name = 'InvalidInputTypeError'
  }
}

const MISUSE: ReadonlySet<unknown> = new Set([
  InvalidNameError,
  InvalidIntegerError,
  InvalidFloatError,
  InvalidInputTypeError,
])

/**
 * `instanceof ProtocolError` is true for every error of this package, the TypeError/RangeError
 * misuse classes included (they cannot extend ProtocolError). Subclasses keep the plain check.
 */
Object.defineProperty(ProtocolError, Symbol.hasInstance, {
  value(this: unknown, value: unknown): boolean {
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true
    return this === ProtocolError && value instanceof Error && MISUSE.has(value.constructor)
  },
})
