/**
 * Newspaper (WIRE.md §6.4): `{"From","Status","Signature"}` on `nara/newspaper/{name}`. The
 * signature covers the raw bytes of the `Status` value, so the envelope embeds them verbatim and
 * decoding hands them back untouched.
 */
import type { z } from 'zod'
import { str } from './fields.js'
import { goJsonString } from './go-json.js'
import { goStruct } from './go-schema.js'
import { naraStatusDecoder, naraStatusSchema } from './nara-status.js'
import * as D from './tree-decoder.js'

/** The envelope as decoded. `From` is unsigned and ignored by Go: trust the topic name. */
export const newspaperEnvelopeSchema = goStruct({
  From: str(),
  Status: naraStatusSchema,
  Signature: str(),
})
export type NewspaperEnvelope = z.output<typeof newspaperEnvelopeSchema>

/** What `decodeMessage` returns for a newspaper. */
export interface NewspaperMessage {
  /** Sender name, parsed from the topic (the only sender identity Go uses). */
  name: string
  envelope: NewspaperEnvelope
  /** The exact bytes of the `Status` value as received: verify the signature over these. */
  statusBytes: Uint8Array
}

/**
 * Builds the envelope around already-encoded status JSON, embedding it verbatim:
 * `{"From":<from>,"Status":<statusJson>,"Signature":<signature>}`. `statusJson` must be the exact
 * text that was signed (normally {@link encodeNaraStatus}'s output).
 */
export function encodeNewspaper(from: string, statusJson: string, signature: string): string {
  return `{"From":${goJsonString(from)},"Status":${statusJson},"Signature":${goJsonString(signature)}}`
}

const utf8 = new TextEncoder()

/**
 * Byte-level variant of {@link encodeNewspaper}: the signed status bytes are copied as they are,
 * so no string round trip can alter them.
 */
export function encodeNewspaperBytes(
  from: string,
  statusBytes: Uint8Array,
  signature: string,
): Uint8Array {
  const head = utf8.encode(`{"From":${goJsonString(from)},"Status":`)
  const tail = utf8.encode(`,"Signature":${goJsonString(signature)}}`)
  const out = new Uint8Array(head.length + statusBytes.length + tail.length)
  out.set(head, 0)
  out.set(statusBytes, head.length)
  out.set(tail, head.length + statusBytes.length)
  return out
}

export const newspaperEnvelopeDecoder: D.Dec<NewspaperEnvelope> = D.struct<NewspaperEnvelope>({
  From: D.str,
  Status: naraStatusDecoder,
  Signature: D.str,
})
