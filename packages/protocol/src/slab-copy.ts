/**
 * Copies of small byte ranges cut from shared slabs (the decoder's `Status` bytes): an
 * allocation of its own costs several times the copy.
 */

/** Copies of up to this many bytes share a slab ({@link copyOf}). */
const SLAB_COPY_MAX = 4096
const SLAB_BYTES = 16384
let slab = new Uint8Array(SLAB_BYTES)
let slabUsed = 0

/**
 * A copy of `payload[start, end)`: the event must not alias, nor keep alive, the caller's
 * buffer (a socket read of up to 64 KiB). Small copies are views into a shared 16 KiB slab, as
 * `Buffer.allocUnsafe` does with its 8 KiB pool (a copy of its own costs an allocation of
 * several times the copy); a kept copy keeps at most its slab alive.
 */
export function copyOf(payload: Uint8Array, start: number, end: number): Uint8Array {
  const n = end - start
  const source = new Uint8Array(payload.buffer, payload.byteOffset + start, n)
  if (n > SLAB_COPY_MAX) return source.slice()
  if (slabUsed + n > SLAB_BYTES) {
    slab = new Uint8Array(SLAB_BYTES)
    slabUsed = 0
  }
  const out = new Uint8Array(slab.buffer, slabUsed, n)
  out.set(source)
  // Next copy 8-byte aligned.
  slabUsed += (n + 7) & ~7
  return out
}
