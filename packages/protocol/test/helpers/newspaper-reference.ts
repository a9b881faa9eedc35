/**
 * The newspaper fast path checked against the reference path (lossless parser with spans + tree
 * decoder on the UTF-8 text): shared by the newspaper fast-path tests.
 */
import { expect } from 'vitest'
import { JsonObject, parseJson } from '../../src/lossless.js'
import { newspaperEnvelopeDecoder } from '../../src/newspaper.js'
import { fastNewspaper } from '../../src/newspaper-fast.js'
import { runDecoder } from '../../src/tree-decoder.js'
import { shape } from './fast-path.js'

/** The reference path's envelope and `Status` span (text positions), or undefined if it refuses. */
export function reference(
  text: string,
): { envelope: unknown; span: readonly [number, number] } | undefined {
  const parsed = parseJson(text, { captureSpans: true })
  if (!parsed.ok) return undefined
  const r = runDecoder(newspaperEnvelopeDecoder, parsed.value)
  const span = parsed.spans?.Status
  const status = (parsed.value as JsonObject).get('Status')
  if (!r.ok || span === undefined || !(status instanceof JsonObject)) return undefined
  return { envelope: r.value, span }
}

/** A span of `text` in UTF-8 byte positions. */
export const byteSpan = (text: string, [start, end]: readonly [number, number]) => [
  Buffer.byteLength(text.slice(0, start)),
  Buffer.byteLength(text.slice(0, end)),
]

/**
 * Whether the fast path answered for `bytes`; when it did, the reference on their UTF-8 text must
 * accept and give the same envelope and the same `Status` span, in bytes.
 */
export function checkBytes(bytes: Buffer): boolean {
  const fast = fastNewspaper(bytes)
  if (fast === undefined) return false
  const text = bytes.toString()
  const ref = reference(text)
  if (ref === undefined) throw new Error(`fast path accepted what the reference refuses: ${text}`)
  expect(shape(fast.envelope)).toBe(shape(ref.envelope))
  expect([fast.statusStart, fast.statusEnd]).toEqual(byteSpan(text, ref.span))
  return true
}
