/**
 * @packageDocumentation
 *
 * `@nara/protocol/errors`: every error class `@nara/protocol` throws (encoders and topic
 * builders on misuse; decoding never throws). All are `instanceof ProtocolError`.
 *
 * @example
 * ```ts
 * import { newspaperTopic } from '@nara/protocol'
 * import { InvalidNameError } from '@nara/protocol/errors'
 *
 * try {
 *   newspaperTopic('a/b')
 * } catch (err) {
 *   console.log(err instanceof InvalidNameError, (err as Error).name)
 * }
 * ```
 */
export * from './errors.js'
