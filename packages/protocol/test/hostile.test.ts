import { describe, expect, it } from 'vitest'
import {
  DEFAULT_MAX_PAYLOAD_BYTES,
  decodeMessage,
  decodeStdBase64,
  decodeSyncEvent,
  encodeStdBase64,
  newspaperTopic,
  TOPICS,
} from './helpers/public-api.js'
import { bytesOf, loadVectors, utf8 } from './vectors.js'

const HEY =
  '{"id":"e2b48232b780ea0d3aa555d750afa9db","ts":1768774453123456789,"svc":"hey-there","emitter":"alice","sig":"xOz0","hey_there":{"From":"alice","PublicKey":"k","MeshIP":"","ID":"","Signature":""}}'
const hey = (text: string) => decodeMessage(TOPICS.heyThere, utf8(text))

describe('hostile input verdicts', () => {
  it('accepts the reference hey_there', () => {
    expect(hey(HEY)).toMatchObject({ ok: true, kind: 'hey_there' })
  })

  it.each([
    ['"from" for From', HEY.replace('"From"', '"from"')],
    ['"FROM" for From', HEY.replace('"From"', '"FROM"')],
    ['"SVC" for svc', HEY.replace('"svc"', '"SVC"')],
    ['"Hey_There" for hey_there', HEY.replace('"hey_there"', '"Hey_There"')],
    [
      'Kelvin sign folding onto k (pubkey -> PublicKey)',
      HEY.replace('"PublicKey"', '"Public\u212Aey"'),
    ],
    ['long s folding onto s ("ſvc")', HEY.replace('"svc"', '"\u017Fvc"')],
  ])('refuses a case-variant key (%s) as bad-schema', (_l, text) => {
    expect(hey(text)).toMatchObject({ ok: false, reason: 'bad-schema' })
  })

  it('refuses duplicate keys (Go: last wins) as bad-json, also case-variant pairs', () => {
    expect(hey(HEY.replace('{"id"', '{"svc":"chau","id"'))).toMatchObject({
      ok: false,
      reason: 'bad-json',
    })
    // exact duplicates inside a payload
    expect(hey(HEY.replace('"MeshIP":""', '"MeshIP":"","MeshIP":"1.2.3.4"'))).toMatchObject({
      ok: false,
      reason: 'bad-json',
    })
    // From + from: Go merges them (last wins); we see a case variant
    expect(hey(HEY.replace('"From":"alice"', '"From":"alice","from":"mallory"'))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
    // duplicates in a map and with many keys (Set path) are caught too
    const many = Array.from({ length: 40 }, (_, i) => `"k${i}":1`).join(',')
    expect(hey(HEY.replace('{"id"', `{${many},"k7":2,"id"`))).toMatchObject({
      ok: false,
      reason: 'bad-json',
    })
  })

  it('ignores unknown keys, like Go, including "__proto__" and "constructor"', () => {
    const r = hey(
      HEY.replace('{"id"', '{"__proto__":{"svc":"chau"},"constructor":1,"extra":[1,2],"id"'),
    )
    expect(r).toMatchObject({ ok: true, kind: 'hey_there' })
    if (r.ok) expect(Object.getPrototypeOf(r.message)).toBe(Object.prototype)
  })

  it('refuses svc/payload mismatches (Go panics on some) as bad-schema', () => {
    const chauOnly = HEY.replace(
      '"hey_there":{"From":"alice","PublicKey":"k","MeshIP":"",',
      '"chau":{"From":"alice","PublicKey":"k",',
    )
    expect(hey(chauOnly)).toMatchObject({ ok: false, reason: 'bad-schema' })
    expect(hey(HEY.replace('}}', '},"chau":{"From":"x"}}'))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
    // a null foreign payload is a nil pointer, which is fine
    expect(hey(HEY.replace('}}', '},"chau":null}'))).toMatchObject({ ok: true })
    expect(hey(HEY.replace('"svc":"hey-there"', '"svc":"bogus"'))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
    expect(hey(HEY.replace('"svc":"hey-there",', ''))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
  })

  it('refuses a payload kind that does not belong on the topic as wrong-topic', () => {
    expect(decodeMessage(TOPICS.chau, utf8(HEY))).toMatchObject({
      ok: false,
      reason: 'wrong-topic',
    })
    expect(decodeMessage(TOPICS.checkpointFinal, utf8(HEY))).toMatchObject({
      ok: false,
      reason: 'wrong-topic',
    })
    expect(decodeMessage('nara/plaza/hey-there', utf8(HEY))).toMatchObject({
      ok: false,
      reason: 'wrong-topic',
    })
    expect(decodeMessage('nara/newspaper/a/b', utf8('{}'))).toMatchObject({
      ok: false,
      reason: 'wrong-topic',
    })
  })

  it('caps payload size (default 64 KiB, configurable)', () => {
    const big = new Uint8Array(DEFAULT_MAX_PAYLOAD_BYTES + 1).fill(0x20)
    expect(decodeMessage(TOPICS.heyThere, big)).toMatchObject({ ok: false, reason: 'too-large' })
    expect(decodeMessage(TOPICS.heyThere, utf8(HEY), { maxBytes: 100 })).toMatchObject({
      ok: false,
      reason: 'too-large',
    })
    expect(decodeMessage(TOPICS.heyThere, utf8(HEY), { maxBytes: HEY.length })).toMatchObject({
      ok: true,
    })
  })

  it('refuses invalid UTF-8 (Go would substitute U+FFFD) as bad-utf8, and a BOM as bad-json', () => {
    const b = utf8(HEY)
    const i = HEY.indexOf('alice')
    const bad = b.slice()
    bad[i] = 0xff
    expect(decodeMessage(TOPICS.heyThere, bad)).toMatchObject({ ok: false, reason: 'bad-utf8' })
    const bom = new Uint8Array([0xef, 0xbb, 0xbf, ...b])
    expect(decodeMessage(TOPICS.heyThere, bom)).toMatchObject({ ok: false, reason: 'bad-json' })
  })

  it('turns escaped lone surrogates into U+FFFD like Go', () => {
    const r = hey(HEY.replace('"MeshIP":""', '"MeshIP":"\\ud800x\\udc00"'))
    if (!r.ok || r.kind !== 'hey_there') throw new Error('expected ok')
    expect(r.message.hey_there.MeshIP).toBe('\ufffdx\ufffd')
    const pair = hey(HEY.replace('"MeshIP":""', '"MeshIP":"\\ud83d\\ude00\\u003c"'))
    if (!pair.ok || pair.kind !== 'hey_there') throw new Error('expected ok')
    expect(pair.message.hey_there.MeshIP).toBe('😀<')
  })

  it.each([
    ['top-level array', '[1,2]', 'bad-schema'],
    ['top-level string', '"hey"', 'bad-schema'],
    ['top-level null', 'null', 'bad-schema'],
    ['empty payload', '', 'bad-json'],
    ['trailing garbage', `${HEY}x`, 'bad-json'],
    ['two values', `${HEY} ${HEY}`, 'bad-json'],
    ['single quotes', "{'id':'x'}", 'bad-json'],
    ['trailing comma', HEY.replace('}}', '},}'), 'bad-json'],
    ['raw control char in string', HEY.replace('"alice"', '"ali\u0001ce"'), 'bad-json'],
    ['bad escape', HEY.replace('"alice"', '"ali\\xce"'), 'bad-json'],
    ['leading zero', HEY.replace('1768774453123456789', '01768774453123456789'), 'bad-json'],
    ['NaN literal', HEY.replace('1768774453123456789', 'NaN'), 'bad-json'],
    [
      'deep nesting in an unknown key',
      HEY.replace('{"id"', `{"x":${'['.repeat(100)}${']'.repeat(100)},"id"`),
      'bad-json',
    ],
    ['very deep nesting', '['.repeat(50_000), 'bad-json'],
  ])('refuses %s', (_l, text, reason) => {
    expect(hey(text)).toMatchObject({ ok: false, reason })
  })

  it('accepts moderate nesting (64 levels) inside unknown keys', () => {
    expect(hey(HEY.replace('{"id"', `{"x":${'['.repeat(60)}${']'.repeat(60)},"id"`))).toMatchObject(
      {
        ok: true,
      },
    )
  })

  it.each([
    ['fraction in int64 ts', '1768774453123456789', '1.5'],
    ['exponent in int64 ts', '1768774453123456789', '1e3'],
    ['ts above int64', '1768774453123456789', '9223372036854775808'],
    ['ts below int64', '1768774453123456789', '-9223372036854775809'],
    ['string ts', '1768774453123456789', '"1768774453123456789"'],
  ])('refuses %s as bad-schema', (_l, from, to) => {
    expect(hey(HEY.replace(from, to))).toMatchObject({ ok: false, reason: 'bad-schema' })
  })

  it('accepts int64 extremes for ts', () => {
    for (const v of ['9223372036854775807', '-9223372036854775808', '0', '-0']) {
      expect(hey(HEY.replace('1768774453123456789', v))).toMatchObject({ ok: true })
    }
  })

  it('checks integer fields held as numbers (fractions, exponents, 2^53, unsigned, uint32)', () => {
    const obs = (importance: string, uptime = '1') =>
      decodeSyncEvent(
        utf8(
          `{"id":"x","ts":1,"svc":"observation","observation":{"type":"restart","importance":${importance},"observer_uptime":${uptime}}}`,
        ),
      )
    expect(obs('3')).toMatchObject({ ok: true, kind: 'observation' })
    expect(obs('3.0')).toMatchObject({ ok: false, reason: 'bad-schema' })
    expect(obs('3e0')).toMatchObject({ ok: false, reason: 'bad-schema' })
    expect(obs('9007199254740991')).toMatchObject({ ok: true })
    expect(obs('9007199254740992')).toMatchObject({ ok: false, reason: 'bad-schema' })
    expect(obs('3', '-1')).toMatchObject({ ok: false, reason: 'bad-schema' })
    expect(obs('3', '-0')).toMatchObject({ ok: false, reason: 'bad-schema' })
    // floats accept exponents; out-of-range floats are refused
    const ping = (rtt: string) =>
      decodeSyncEvent(utf8(`{"id":"x","ts":1,"svc":"ping","ping":{"rtt":${rtt}}}`))
    expect(ping('1.5e2')).toMatchObject({ ok: true })
    expect(ping('1e400')).toMatchObject({ ok: false, reason: 'bad-schema' })
  })

  it('takes Go zero values for absent fields, refuses null scalars, accepts null slices/maps', () => {
    const r = hey('{"svc":"hey-there","hey_there":{}}')
    expect(r).toMatchObject({
      ok: true,
      message: {
        id: '',
        ts: 0n,
        hey_there: { From: '', PublicKey: '', MeshIP: '', ID: '', Signature: '' },
      },
    })
    expect(hey(HEY.replace('"MeshIP":""', '"MeshIP":null'))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
    const req = decodeMessage('nara/ledger/bob/request', utf8('{"From":"alice","Subjects":null}'))
    expect(req).toMatchObject({
      ok: true,
      kind: 'ledger_request',
      name: 'bob',
      message: { Subjects: null },
    })
  })

  it('newspapers: Status must be an object; the name comes from the topic', () => {
    const topic = newspaperTopic('alice')
    expect(decodeMessage(topic, utf8('{"From":"alice","Signature":""}'))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
    expect(decodeMessage(topic, utf8('{"From":"a","Status":null,"Signature":""}'))).toMatchObject({
      ok: false,
      reason: 'bad-schema',
    })
    const r = decodeMessage(
      topic,
      utf8('{"From":"mallory","Status":{ "Buzz" : 3 },"Signature":""}'),
    )
    if (!r.ok || r.kind !== 'newspaper') throw new Error('expected a newspaper')
    expect(r.message.name).toBe('alice')
    expect(r.message.envelope.From).toBe('mallory')
    expect(new TextDecoder().decode(r.message.statusBytes)).toBe('{ "Buzz" : 3 }')
    expect(r.message.envelope.Status.Buzz).toBe(3)
  })

  it('stash_refresh is recognised and ignored', () => {
    expect(decodeMessage(TOPICS.stashRefresh, utf8('not json'))).toEqual({
      ok: true,
      kind: 'stash_refresh',
      message: null,
    })
  })
})

describe('decodeStdBase64 (Go StdEncoding, strict)', () => {
  it('round-trips every length 0..70', () => {
    for (let n = 0; n <= 70; n++) {
      const b = Uint8Array.from({ length: n }, (_, i) => (i * 37 + n) & 0xff)
      const s = encodeStdBase64(b)
      expect(s).toBe(Buffer.from(b).toString('base64'))
      expect(decodeStdBase64(s)).toEqual(b)
    }
  })
  it.each([
    ['URL-safe alphabet', 'ab-_'],
    ['missing padding', '5W+Bh9paCZbmdobQaM4vmNHyOkmE5CbpwvFq59Hkyek'],
    ['whitespace', '5W+B h9pa'],
    ['newline', '5W+B\nh9pa'],
    ['padding in the middle', 'AB==CDEF'],
    ['too much padding', 'A==='],
    ['non-zero trailing bits', 'AB=='],
    ['non-ASCII', 'ÄBCD'],
  ])('refuses %s', (_l, s) => {
    expect(decodeStdBase64(s)).toBeNull()
  })
  it('decodes a 32-byte key and a 64-byte signature', () => {
    expect(decodeStdBase64('5W+Bh9paCZbmdobQaM4vmNHyOkmE5CbpwvFq59Hkyek=')?.length).toBe(32)
    expect(
      decodeStdBase64(
        'xOz0JZMQoMadMCauIk/mk8djCNXnuUNykpI/ijzfYfDqonlrrvwoM/WT85cxm8WUM+LjqBQIVZpLtQNREZq6Dg==',
      )?.length,
    ).toBe(64)
  })
})

describe('never throws (fuzz)', () => {
  // Deterministic PRNG (mulberry32) so failures reproduce.
  function rng(seed: number): () => number {
    let a = seed >>> 0
    return () => {
      a = (a + 0x6d2b79f5) >>> 0
      let t = a
      t = Math.imul(t ^ (t >>> 15), t | 1)
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296
    }
  }
  const vectors = loadVectors()
  const topics = [
    ...Object.values(TOPICS).filter((t) => !t.endsWith('#')),
    'nara/newspaper/alice',
    'nara/ledger/bob/request',
    'nara/ledger/bob/response',
    'bogus',
  ]
  const tokens = [
    '{',
    '}',
    '[',
    ']',
    '"',
    ':',
    ',',
    '\\',
    'null',
    '1e999',
    '-',
    '0',
    '\\u',
    'é',
    '😀',
  ]

  it('survives 20,000 random and mutated payloads on every topic', () => {
    const rand = rng(0x5eed)
    let ok = 0
    for (let i = 0; i < 20_000; i++) {
      const v = vectors[Math.floor(rand() * vectors.length)]!
      let bytes = bytesOf(v)
      const mode = Math.floor(rand() * 4)
      if (mode === 0) {
        bytes = Uint8Array.from({ length: Math.floor(rand() * 300) }, () =>
          Math.floor(rand() * 256),
        )
      } else if (mode === 1) {
        bytes = bytes.slice()
        for (let k = 0; k < 1 + rand() * 8; k++)
          bytes[Math.floor(rand() * bytes.length)] = Math.floor(rand() * 256)
      } else if (mode === 2) {
        bytes = bytes.slice(0, Math.floor(rand() * bytes.length))
      } else {
        const text = v.payload_utf8
        const at = Math.floor(rand() * text.length)
        const tok = tokens[Math.floor(rand() * tokens.length)]!
        bytes = utf8(text.slice(0, at) + tok + text.slice(at + (rand() < 0.5 ? 1 : 0)))
      }
      const topic =
        rand() < 0.7 && v.transport?.topic
          ? v.transport.topic
          : topics[Math.floor(rand() * topics.length)]!
      const r = decodeMessage(topic, bytes)
      const s = decodeSyncEvent(bytes)
      expect(typeof r.ok).toBe('boolean')
      expect(typeof s.ok).toBe('boolean')
      if (!r.ok)
        expect(['too-large', 'wrong-topic', 'bad-utf8', 'bad-json', 'bad-schema']).toContain(
          r.reason,
        )
      if (r.ok) ok++
    }
    expect(ok).toBeGreaterThan(0)
  })

  it('never throws on non-Uint8Array or odd topics passed by mistake', () => {
    expect(decodeMessage(undefined as unknown as string, utf8('{}')).ok).toBe(false)
    expect(decodeMessage(TOPICS.heyThere, 'x' as unknown as Uint8Array).ok).toBe(false)
    expect(decodeSyncEvent(null as unknown as Uint8Array).ok).toBe(false)
  })
})
