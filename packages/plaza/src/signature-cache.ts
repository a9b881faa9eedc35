/**
 * A bounded cache of Ed25519 signature-check results, meant to be shared by every plaza of one
 * process. The broker delivers the same bytes to each nara of a town, so without it a town of N
 * naras checks every signature N times.
 *
 * The cache answers only "does `signature` verify over exactly these `message` bytes with this
 * `publicKey`": the key is (public key, signature) and a hit also compares the message bytes, so
 * a result is never reused for different bytes. It knows nothing about keyrings: whether the key
 * is the one pinned for a name (TOFU) stays each plaza's own check, before and after the
 * signature. Both outcomes are cached, and the least recently used entry goes first.
 *
 * @example
 * ```ts
 * const signatureCache = createSignatureCache({ maxEntries: 16_384 })
 * const a = createPlaza({ ...optionsA, signatureCache })
 * const b = createPlaza({ ...optionsB, signatureCache }) // b reuses a's checks
 * ```
 */
import type { Ed25519Backend } from '@nara/crypto'
import { LruMap } from './lru.js'

/** Options of {@link createSignatureCache}. */
export interface SignatureCacheOptions {
  /** Most remembered checks (each holds a copy of the signed bytes). Default 16 384. */
  maxEntries?: number
}

/** Counters of a {@link SignatureCache}. */
export interface SignatureCacheStats {
  /** Checks answered from the cache. */
  readonly hits: number
  /** Checks that ran the backend. */
  readonly misses: number
  /** Entries held now. */
  readonly size: number
}

/** A shared signature-check cache (see {@link createSignatureCache}). */
export interface SignatureCache {
  /**
   * Whether `signature` verifies over `message` with `publicKey`: from the cache, or by running
   * `backend.verify` once and remembering the outcome. Misuse errors of the backend are thrown
   * as they are and not cached.
   */
  verify(
    backend: Ed25519Backend,
    signature: Uint8Array,
    message: Uint8Array,
    publicKey: Uint8Array,
  ): boolean
  /** `backend` with its `verify` going through this cache (signing is untouched). */
  wrap(backend: Ed25519Backend): Ed25519Backend
  stats(): SignatureCacheStats
  clear(): void
}

interface Entry {
  readonly message: Uint8Array
  readonly ok: boolean
}

const sameBytes = (a: Uint8Array, b: Uint8Array): boolean =>
  a.byteLength === b.byteLength &&
  Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(
    Buffer.from(b.buffer, b.byteOffset, b.byteLength),
  )

const latin1 = (bytes: Uint8Array): string =>
  Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')

/**
 * Creates a signature-check cache to pass as `signatureCache` to every `createPlaza` of a process.
 * @throws RangeError when `maxEntries` is not a positive integer
 */
export function createSignatureCache(options: SignatureCacheOptions = {}): SignatureCache {
  const entries = new LruMap<string, Entry>(options.maxEntries ?? 16_384)
  let hits = 0
  let misses = 0

  // The plazas of a town check one message's signature one after another: the last check is
  // answered by comparing bytes with copies (three memcmps), without building a key.
  let last: { signature: Uint8Array; publicKey: Uint8Array; entry: Entry } | undefined

  const cache: SignatureCache = {
    verify(backend, signature, message, publicKey) {
      if (
        last !== undefined &&
        sameBytes(last.signature, signature) &&
        sameBytes(last.publicKey, publicKey) &&
        sameBytes(last.entry.message, message)
      ) {
        hits += 1
        return last.entry.ok
      }
      const key = latin1(publicKey) + latin1(signature)
      let entry = entries.get(key)
      if (entry !== undefined && sameBytes(entry.message, message)) {
        hits += 1
      } else {
        misses += 1
        const ok = backend.verify(signature, message, publicKey)
        // A copy: `message` may be a view into a larger receive buffer.
        entry = { message: Uint8Array.prototype.slice.call(message), ok }
        entries.set(key, entry)
      }
      last = {
        signature: Uint8Array.prototype.slice.call(signature),
        publicKey: Uint8Array.prototype.slice.call(publicKey),
        entry,
      }
      return entry.ok
    },
    wrap(backend) {
      return {
        name: backend.name,
        sha256: backend.sha256,
        sign: (message, seed) => backend.sign(message, seed),
        publicKey: (seed) => backend.publicKey(seed),
        verify: (signature, message, publicKey) =>
          cache.verify(backend, signature, message, publicKey),
      }
    },
    stats: () => ({ hits, misses, size: entries.size }),
    clear() {
      entries.clear()
      last = undefined
      hits = 0
      misses = 0
    },
  }
  return cache
}
