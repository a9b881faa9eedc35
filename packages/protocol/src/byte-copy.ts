/**
 * Private copies of byte ranges (the decoder's `Status` bytes): the event must not alias, nor
 * keep alive, the caller's buffer (a socket read of up to 64 KiB), and each copy owns a buffer of
 * exactly its size, so handing one to a worker (a transfer) touches nothing else.
 */

/**
 * A copy of `payload[start, end)` in a buffer of its own. Sliced from a plain `Uint8Array` view,
 * never from the `Buffer` itself: `Buffer`'s species would build a `Buffer`, at about 1.5 times
 * the cost (1.09 against 0.71 µs for 1,250 bytes on this machine).
 */
export function copyOf(payload: Uint8Array, start: number, end: number): Uint8Array {
  return new Uint8Array(payload.buffer, payload.byteOffset + start, end - start).slice()
}
