/**
 * @packageDocumentation
 *
 * `@nara/crypto/errors`: every error class `@nara/crypto` throws (see `errors.ts` for the
 * convention). All are `instanceof CryptoError`; check `err.name` for the kind.
 *
 * @example
 * ```ts
 * import { parseSoul } from '@nara/crypto'
 * import { InvalidSoulError } from '@nara/crypto/errors'
 *
 * try {
 *   parseSoul('not a soul')
 * } catch (err) {
 *   console.log(err instanceof InvalidSoulError, (err as Error).name)
 * }
 * ```
 */
export * from './errors.js'
