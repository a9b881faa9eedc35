/**
 * Private copies of byte ranges (the decoder's `Status` bytes): the event must not alias, nor
 * keep alive, the caller's buffer (a socket read of up to 64 KiB), and each copy owns a buffer of
 * exactly its size, so handing one to a worker (a transfer) touches nothing else.
 */

import { utf8Length } from './go-json.js'

/**
 * A copy of `payload[start, end)` in a buffer of its own. Sliced from a plain `Uint8Array` view,
 * never from the `Buffer` itself: `Buffer`'s species would build a `Buffer`, at about 1.5 times
 * the cost (1.09 against 0.71 µs for 1,250 bytes on this machine).
 */
export function copyOf(payload: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(payload.buffer, payload.byteOffset + start, end - start).slice()
}

/**
 * A copy of the bytes of `text.slice(start, end)` in `payload`, where `text` is the UTF-8
 * decoding of `payload` (so the bytes after the span are the UTF-8 length of the text after it).
 */
export function copyTextSpan(
  payload: Uint8Array,
  text: string,
  start: number,
  end: number,
): Uint8Array {
  const byteStart = utf8Length(text, 0, start)
  const byteEnd = payload.byteLength - utf8Length(text, end)
  return copyOf(payload, byteStart, byteEnd)
}
