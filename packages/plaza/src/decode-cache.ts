/**
 * A bounded memo of decoded inbound messages, meant to be shared by every plaza of one process.
 * The broker hands the same bytes to each nara of a town, and decoding (strict lossless JSON plus
 * the schema) is the largest per-delivery cost: with the memo a town decodes each message once,
 * and its naras share one decoded (and, once accepted, deep-frozen) object instead of N copies.
 *
 * The key is the exact topic, size cap and payload bytes, so a hit is the result decoding those
 * bytes would give. Decoding reads nothing else, and trust (signatures, key pins, dedupe, rate
 * limits) stays with each plaza's pipeline after the decode. Failed decodes are remembered too.
 *
 * @example
 * ```ts
 * const decodeCache = createDecodeCache()
 * const a = createPlaza({ ...optionsA, decodeCache })
 * const b = createPlaza({ ...optionsB, decodeCache }) // b reuses a's decodes
 * ```
 */
import { type DecodeResult, decodeMessage } from '@nara/protocol'
import { LruMap } from './lru.js'

/** Options of {@link createDecodeCache}. */
export interface DecodeCacheOptions {
  /** Most remembered messages (each holds its payload as the key). Default 2048. */
  maxEntries?: number
  /** Payloads larger than this many bytes are decoded without being remembered. Default 65 536. */
  maxPayloadBytes?: number
}

/** Counters of a {@link DecodeCache}. */
export interface DecodeCacheStats {
  readonly hits: number
  readonly misses: number
  readonly size: number
}

/** A shared decode memo (see {@link createDecodeCache}). */
export interface DecodeCache {
  /** `decodeMessage(topic, payload, { maxBytes })`, from the memo when these bytes were seen. */
  decode(topic: string, payload: Buffer, maxBytes: number): DecodeResult
  stats(): DecodeCacheStats
  clear(): void
}

/**
 * Creates a decode memo to pass as `decodeCache` to every `createPlaza` of a process.
 * @throws RangeError when `maxEntries` is not a positive integer
 */
export function createDecodeCache(options: DecodeCacheOptions = {}): DecodeCache {
  const entries = new LruMap<string, DecodeResult>(options.maxEntries ?? 2048)
  const rememberUpTo = options.maxPayloadBytes ?? 65_536
  let hits = 0
  let misses = 0
  // A shared connection hands one message to every plaza of the process, one after another: the
  // last lookup is answered by comparing bytes with a copy of the last payload (a memcmp), without
  // building a key from them. A copy, so a caller reusing its Buffer cannot alias an old result.
  let last: { topic: string; bytes: Buffer; maxBytes: number; result: DecodeResult } | undefined
  return {
    decode(topic, payload, maxBytes) {
      if (
        last !== undefined &&
        last.topic === topic &&
        last.maxBytes === maxBytes &&
        last.bytes.equals(payload)
      ) {
        hits += 1
        return last.result
      }
      const result = lookup(topic, payload, maxBytes)
      if (payload.byteLength <= rememberUpTo) {
        last = { topic, bytes: Buffer.from(payload), maxBytes, result }
      }
      return result
    },
    stats: () => ({ hits, misses, size: entries.size }),
    clear() {
      entries.clear()
      last = undefined
      hits = 0
      misses = 0
    },
  }

  function lookup(topic: string, payload: Buffer, maxBytes: number): DecodeResult {
    {
      if (payload.byteLength > rememberUpTo) {
        misses += 1
        return decodeMessage(topic, payload, { maxBytes })
      }
      // latin1 maps each byte to one character: equal keys are equal bytes.
      const key = `${maxBytes}\u0000${topic}\u0000${payload.toString('latin1')}`
      const hit = entries.get(key)
      if (hit !== undefined) {
        hits += 1
        return hit
      }
      misses += 1
      const result = decodeMessage(topic, payload, { maxBytes })
      entries.set(key, result)
      return result
    }
  }
}
