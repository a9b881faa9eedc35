/**
 * The golden vectors for protocol's tests, from the shared loader (`@nara/vitest-config/vectors`,
 * which reads `shared/vectors/plaza-vectors.json` as-is).
 */
import { type KindedMessageVector, messageVectors, payloadBytes } from '@nara/vitest-config/vectors'

export type MessageVector = KindedMessageVector

/** Every message vector of the file, in file order, each with its kind. */
export const loadVectors = (): MessageVector[] => messageVectors()

export const bytesOf: (v: MessageVector) => Uint8Array = payloadBytes

export const utf8 = (s: string): Uint8Array => new TextEncoder().encode(s)
