/**
 * The SyncEvent fast path on non-ASCII events: the Go vectors (social, hey_there, chau) with
 * their string values swapped for random valid non-ASCII text. The cursor gets no bytes for such
 * a text (they are not all ASCII), so it must answer exactly as before: whenever the reference
 * accepts an escape-free event the fast path answers with the same object, through
 * `decodeSyncEvent` too.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { parseJson } from '../src/lossless.js'
import { syncEventDecoder } from '../src/sync-event-decoder.js'
import { fastSyncEvent } from '../src/sync-event-fast.js'
import { runDecoder } from '../src/tree-decoder.js'
import { shape } from './helpers/fast-path.js'
import { decodeSyncEvent } from './helpers/public-api.js'
import { text } from './helpers/unicode.js'
import { bytesOf, loadVectors } from './vectors.js'

function reference(t: string): unknown {
  const parsed = parseJson(t)
  if (!parsed.ok) return undefined
  const r = runDecoder(syncEventDecoder, parsed.value)
  return r.ok ? r.value : undefined
}

const texts = loadVectors()
  .filter((v) => v.kind === 'social' || v.kind === 'hey_there' || v.kind === 'chau')
  .map((v) => new TextDecoder().decode(bytesOf(v)))
  .filter((t) => reference(t) !== undefined && !t.includes('\\'))

describe('fastSyncEvent on non-ASCII events', () => {
  it('answers as the reference does, and decodeSyncEvent gives the same object', () => {
    expect(texts.length).toBeGreaterThan(3)
    const rand = seededRandom(7)
    let answered = 0
    for (let n = 0; n < 2000; n++) {
      const base = texts[n % texts.length] as string
      // Every string value but `svc` (which picks the payload).
      const t = base.replace(
        /("(?!svc")[^"]*"\s*:\s*)"[^"\\]*"/g,
        (_, k) => `${k}${JSON.stringify(text(rand))}`,
      )
      const ref = reference(t)
      const fast = fastSyncEvent(t)
      expect(shape(fast)).toBe(ref === undefined ? shape(undefined) : shape(ref))
      const r = decodeSyncEvent(Buffer.from(t))
      expect(r.ok).toBe(ref !== undefined)
      if (r.ok) {
        answered++
        expect(shape(r.message)).toBe(shape(ref))
      }
    }
    expect(answered).toBeGreaterThan(500)
  })
})
