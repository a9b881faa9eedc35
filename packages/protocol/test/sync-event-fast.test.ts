/**
 * The SyncEvent fast path is a recogniser of a subset of what the reference path (lossless
 * parser + tree decoder) accepts: whenever it answers, the reference path must accept the same
 * text and build the same object (same keys in the same order, same values). Checked on the
 * golden vectors and on many mutations of them.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { parseJson } from '../src/lossless.js'
import { syncEventDecoder } from '../src/sync-event-decoder.js'
import { fastSyncEvent } from '../src/sync-event-fast.js'
import { runDecoder } from '../src/tree-decoder.js'
import { mutate, shape } from './helpers/fast-path.js'
import { decodeSyncEvent } from './helpers/public-api.js'
import { bytesOf, loadVectors, utf8 } from './vectors.js'

function reference(text: string): unknown {
  const parsed = parseJson(text)
  if (!parsed.ok) return undefined
  const r = runDecoder(syncEventDecoder, parsed.value)
  return r.ok ? r.value : undefined
}

function check(text: string): boolean {
  const fast = fastSyncEvent(text)
  // An all-ASCII text's bytes, from which the fast path copies long strings: the same answer.
  const bytes = Buffer.from(text)
  if (bytes.length === text.length) expect(shape(fastSyncEvent(text, bytes))).toBe(shape(fast))
  if (fast === undefined) return false
  const ref = reference(text)
  if (ref === undefined) throw new Error(`fast path accepted what the reference refuses: ${text}`)
  expect(shape(fast)).toBe(shape(ref))
  return true
}

const texts = loadVectors()
  .filter((v) => v.kind === 'social' || v.kind === 'hey_there' || v.kind === 'chau')
  .map((v) => new TextDecoder().decode(bytesOf(v)))

const SNIPPETS = [
  '"',
  '\\',
  '\\u0041',
  '\\"',
  ' ',
  '\n',
  '\t',
  ',',
  ':',
  '{',
  '}',
  '[',
  ']',
  'null',
  'true',
  '0',
  '-0',
  '01',
  '1.5',
  '1e3',
  '-',
  '9999999999999999999',
  '123456789012345678',
  '\u0001',
  '\ufeff',
  'é',
  '"ID":"x",',
  '"Id":"x",',
  '"EMITTER":"x",',
  '"emitter":"x",',
  '"chau":{},',
  '"social":{},',
  '"hey_there":{},',
  '"ping":{},',
  '"extra":1,',
  '"sig":null,',
  '"id":"dup",',
  '"ts":1,',
  '"svc":"ping",',
  '"svc":"chau",',
  '"social":null,',
]

describe('fastSyncEvent', () => {
  it('answers for the Go-encoded social, hey_there and chau vectors, as the reference does', () => {
    expect(texts.length).toBeGreaterThan(3)
    let answered = 0
    for (const t of texts) if (check(t)) answered++
    // Every vector the reference accepts is plain (no escapes): the fast path takes them all.
    const accepted = texts.filter((t) => reference(t) !== undefined).length
    expect(answered).toBe(accepted)
  })

  it('never accepts what the reference refuses, and agrees when both accept (mutations)', () => {
    const rand = seededRandom(20261121)
    let answered = 0
    let total = 0
    for (const base of texts) {
      for (let n = 0; n < 600; n++) {
        const t = mutate(base, rand, SNIPPETS)
        total++
        if (check(t)) answered++
      }
    }
    // Some mutations keep the text valid (a changed reason, inserted whitespace...).
    expect(answered).toBeGreaterThan(total / 50)
    expect(answered).toBeLessThan(total)
  })

  it('leaves escapes, unknown keys, nulls, fractions and long integers to the reference', () => {
    const ok = '{"id":"a","ts":1,"svc":"social","emitter":"x","sig":"s","social":{"type":"t"}}'
    expect(fastSyncEvent(ok)).toEqual({
      id: 'a',
      ts: 1n,
      svc: 'social',
      emitter: 'x',
      sig: 's',
      social: { type: 't' },
    })
    for (const t of [
      ok.replace('"t"', '"\\u0074"'),
      ok.replace('"sig"', '"other":1,"sig"'),
      ok.replace('"sig":"s"', '"sig":null'),
      ok.replace('"ts":1', '"ts":1.0'),
      ok.replace('"ts":1', '"ts":9223372036854775808'),
      ok.replace('"ts":1', '"ts":-9223372036854775809'),
      ok.replace('"ts":1', '"ts":12345678901234567890'),
      ok.replace('"svc":"social"', '"svc":"ping"'),
      ok.replace('"social":{', '"chau":{'),
      ok.replace('"emitter"', '"Emitter"'),
      ok.replace('"emitter":"x",', '"emitter":"x","emitter":"y",'),
      `${ok}x`,
      `\ufeff${ok}`,
    ]) {
      expect(fastSyncEvent(t)).toBeUndefined()
    }
    // int64 bounds are decided exactly, also on the fast path.
    for (const ts of ['9223372036854775807', '-9223372036854775808', '-0', '0']) {
      expect(fastSyncEvent(ok.replace('"ts":1', `"ts":${ts}`))?.ts).toBe(BigInt(ts))
      check(ok.replace('"ts":1', `"ts":${ts}`))
    }
    // Whitespace anywhere JSON allows it is fine.
    expect(fastSyncEvent(` {\n"id" : "a" ,"ts":\t1,"svc":"chau","chau":{ } }\r\n`)).toEqual({
      id: 'a',
      ts: 1n,
      svc: 'chau',
      chau: { From: '', PublicKey: '', ID: '', Signature: '' },
    })
  })

  it('keeps decodeSyncEvent verdicts for texts it leaves to the reference', () => {
    const dup = '{"id":"a","ts":1,"svc":"social","social":{"type":"t"},"social":{"type":"t"}}'
    expect(decodeSyncEvent(utf8(dup))).toMatchObject({ ok: false, reason: 'bad-json' })
    const foreign = '{"id":"a","ts":1,"svc":"social","social":{},"chau":{}}'
    expect(decodeSyncEvent(utf8(foreign))).toMatchObject({ ok: false, reason: 'bad-schema' })
    const variant = '{"id":"a","ts":1,"svc":"social","social":{"Type":"t"}}'
    expect(decodeSyncEvent(utf8(variant))).toMatchObject({ ok: false, reason: 'bad-schema' })
  })
})
