import { decodeMessage } from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import { createDecodeCache } from '../src/decode-cache.js'

const howdy = (seq: number) =>
  Buffer.from(
    JSON.stringify({
      From: 'alice-of-the-long-name',
      To: 'bob',
      Seq: seq,
      You: {},
      Neighbors: null,
      Me: { Observations: {} },
      Signature: '',
    }),
  )

describe('decode cache', () => {
  it('decodes the same bytes once and hands every plaza the same object', () => {
    const cache = createDecodeCache()
    const first = cache.decode('nara/plaza/howdy', howdy(1), 65_536)
    const second = cache.decode('nara/plaza/howdy', Buffer.from(howdy(1)), 65_536)
    expect(second).toBe(first)
    expect(first).toEqual(decodeMessage('nara/plaza/howdy', howdy(1)))
    expect(cache.stats()).toEqual({ hits: 1, misses: 1, size: 1 })
  })

  it('answers a repeat of the last message from its copy, and a reused, altered Buffer is decoded again', () => {
    const cache = createDecodeCache()
    const bytes = howdy(7)
    const first = cache.decode('nara/plaza/howdy', bytes, 65_536)
    expect(cache.decode('nara/plaza/howdy', bytes, 65_536)).toBe(first)
    // The caller rewrites its Buffer in place (Seq 7 -> 8): never the old result.
    bytes[bytes.indexOf('"Seq":7') + 6] = '8'.charCodeAt(0)
    const altered = cache.decode('nara/plaza/howdy', bytes, 65_536)
    expect(altered).not.toBe(first)
    expect(altered.ok && altered.kind === 'howdy' && altered.message.Seq).toBe(8)
    expect(cache.stats()).toEqual({ hits: 1, misses: 2, size: 2 })
  })

  it('keys on the topic, the size cap and every byte', () => {
    const cache = createDecodeCache()
    const a = cache.decode('nara/plaza/howdy', howdy(1), 65_536)
    expect(cache.decode('nara/plaza/howdy', howdy(2), 65_536)).not.toBe(a)
    expect(cache.decode('nara/plaza/hey_there', howdy(1), 65_536)).not.toBe(a)
    const capped = cache.decode('nara/plaza/howdy', howdy(1), 10)
    expect(capped.ok).toBe(false)
    expect(cache.stats().misses).toBe(4)
  })

  it('does not remember payloads above maxPayloadBytes, and forgets beyond maxEntries', () => {
    const cache = createDecodeCache({ maxEntries: 1, maxPayloadBytes: 16 })
    cache.decode('nara/plaza/howdy', howdy(1), 65_536)
    expect(cache.stats().size).toBe(0)
    const small = createDecodeCache({ maxEntries: 1 })
    small.decode('nara/plaza/howdy', howdy(1), 65_536)
    small.decode('nara/plaza/howdy', howdy(2), 65_536)
    expect(small.stats().size).toBe(1)
  })
})
