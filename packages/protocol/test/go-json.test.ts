import { describe, expect, it } from 'vitest'
import {
  compareUtf8,
  decodeMessage,
  encodeHowdy,
  encodeJourneyCompletion,
  encodeLedgerRequest,
  encodeLedgerResponse,
  encodeNaraObservation,
  encodeNaraStatus,
  encodeSyncEvent,
  goJsonFloat,
  goJsonString,
  type NaraStatus,
  TOPICS,
} from './helpers/public-api.js'
import { utf8 } from './vectors.js'

const zeroStatus = (): NaraStatus => ({
  LicensePlate: '',
  Flair: '',
  HostStats: {
    Uptime: 0,
    LoadAvg: 0,
    MemAllocMB: 0,
    MemSysMB: 0,
    MemHeapMB: 0,
    MemStackMB: 0,
    NumGoroutines: 0,
    NumGC: 0,
    ProcCPUPercent: 0,
  },
  Chattiness: 0,
  Buzz: 0,
  Observations: null,
  Trend: '',
  TrendEmoji: '',
  Personality: { Agreeableness: 0, Sociability: 0, Chill: 0 },
  Aura: { primary: '', secondary: '' },
  Version: '',
  PublicUrl: '',
  PublicKey: '',
  ID: '',
  MeshEnabled: false,
  MeshIP: '',
})

describe('goJsonString (Go string escaping)', () => {
  it('escapes HTML characters and keeps / raw', () => {
    expect(goJsonString('https://x.example/?a=1&b=2')).toBe('"https://x.example/?a=1\\u0026b=2"')
    expect(goJsonString('<3 & >_<')).toBe('"\\u003c3 \\u0026 \\u003e_\\u003c"')
  })
  it('escapes U+2028/U+2029, quotes and backslashes', () => {
    expect(goJsonString('a\u2028b\u2029c"d\\e')).toBe('"a\\u2028b\\u2029c\\"d\\\\e"')
  })
  it('writes control characters in Go >= 1.22 form', () => {
    expect(goJsonString('\n\r\t')).toBe('"\\n\\r\\t"')
    expect(goJsonString('\b\f')).toBe('"\\b\\f"')
    expect(goJsonString('\u0000\u0001\u001f\u007f')).toBe('"\\u0000\\u0001\\u001f\u007f"')
  })
  it('writes emoji and other non-ASCII raw; lone surrogates become \\ufffd', () => {
    expect(goJsonString('💎🧑‍🚀 ñ')).toBe('"💎🧑‍🚀 ñ"')
    expect(goJsonString('a\ud800b')).toBe('"a\\ufffdb"')
    expect(goJsonString('\udc00')).toBe('"\\ufffd"')
    expect(goJsonString('x\ud83d')).toBe('"x\\ufffd"')
  })
  it('agrees with JSON.stringify where Go and JS agree', () => {
    const s = 'plain ascii with spaces, digits 123 and ümlauts'
    expect(goJsonString(s)).toBe(JSON.stringify(s))
  })
})

describe('goJsonFloat (Go float64 formatting)', () => {
  it.each([
    [0.00001, '0.00001'],
    [-2.5e-7, '-2.5e-7'],
    [1e-7, '1e-7'],
    [0.000001, '0.000001'],
    [1e21, '1e+21'],
    [1e20, '100000000000000000000'],
    [150, '150'],
    [12.25, '12.25'],
    [0.1 + 0.2, '0.30000000000000004'],
    [-0, '-0'],
    [0, '0'],
  ])('%s -> %s', (n, text) => {
    expect(goJsonFloat(n)).toBe(text)
  })
  it('refuses NaN and infinities', () => {
    expect(() => goJsonFloat(Number.NaN)).toThrow(RangeError)
    expect(() => goJsonFloat(Number.POSITIVE_INFINITY)).toThrow(RangeError)
  })
})

describe('omitempty and null-vs-[]', () => {
  it('writes the zero status exactly as WIRE.md §10.4', () => {
    expect(encodeNaraStatus(zeroStatus())).toBe(
      '{"LicensePlate":"","Flair":"","HostStats":{"Uptime":0,"LoadAvg":0,"MemAllocMB":0,"MemSysMB":0,"MemHeapMB":0,"MemStackMB":0,"NumGoroutines":0,"NumGC":0,"ProcCPUPercent":0},"Chattiness":0,"Buzz":0,"Observations":null,"Trend":"","TrendEmoji":"","Personality":{"Agreeableness":0,"Sociability":0,"Chill":0},"Aura":{"primary":"","secondary":""},"Version":"","PublicUrl":"","PublicKey":"","ID":"","MeshEnabled":false,"MeshIP":""}',
    )
  })
  it('writes Observations {} (not null) when the map is empty, and sorts map keys by UTF-8 bytes', () => {
    const s = { ...zeroStatus(), Observations: {} }
    expect(encodeNaraStatus(s)).toContain('"Observations":{}')
    const keys = ['zed', 'Zed', 'ä', '\uffff', '😀', 'a']
    expect([...keys].sort(compareUtf8)).toEqual(['Zed', 'a', 'zed', 'ä', '\uffff', '😀'])
    const m = Object.fromEntries(keys.map((k) => [k, {}]))
    const out = encodeNaraStatus({ ...zeroStatus(), Observations: m })
    expect(out).toContain('"Observations":{"Zed":{},"a":{},"zed":{},"ä":{},"\uffff":{},"😀":{}}')
  })
  it('omits empty optional status fields and an empty event_store_by_service map', () => {
    const out = encodeNaraStatus({
      ...zeroStatus(),
      transport_mode: '',
      event_store_total: 0,
      event_store_by_service: {},
      stash_bytes: 0,
    })
    expect(out).not.toContain('transport_mode')
    expect(out).not.toContain('event_store')
    expect(out).not.toContain('stash')
  })
  it('writes a zero NaraObservation as {} and drops zero floats', () => {
    expect(encodeNaraObservation({})).toBe('{}')
    expect(encodeNaraObservation({ restarts: 0, last_ping_rtt: 0, online: '' })).toBe('{}')
  })
  it('howdy Neighbors: null stays null, [] stays []', () => {
    const base = {
      From: 'bob',
      To: 'alice',
      Seq: 1,
      You: {},
      Me: { ...zeroStatus(), Observations: {} },
      Signature: '',
    }
    expect(encodeHowdy({ ...base, Neighbors: null })).toContain('"Neighbors":null')
    expect(encodeHowdy({ ...base, Neighbors: [] })).toContain('"Neighbors":[]')
  })
  it('ledger messages: nil slices are null (WIRE.md §10.6)', () => {
    expect(encodeLedgerRequest({ From: 'alice', Subjects: ['alice', 'bob'] })).toBe(
      '{"From":"alice","Subjects":["alice","bob"]}',
    )
    expect(encodeLedgerResponse({ From: 'bob', Events: null })).toBe('{"From":"bob","Events":null}')
    expect(
      encodeLedgerResponse({
        From: 'bob',
        Events: [
          {
            ID: '5dfbc9cc5bfade6c33dd3c6a8784e27e',
            Timestamp: 1768774453123458789n,
            Type: 'tease',
            Actor: 'alice',
            Target: 'bob',
            Reason: 'high-restarts',
            Witness: '',
            Signature: '',
          },
        ],
      }),
    ).toBe(
      '{"From":"bob","Events":[{"ID":"5dfbc9cc5bfade6c33dd3c6a8784e27e","Timestamp":1768774453123458789,"Type":"tease","Actor":"alice","Target":"bob","Reason":"high-restarts","Witness":"","Signature":""}]}',
    )
  })
  it('journey_complete omits empty message and hops', () => {
    expect(encodeJourneyCompletion({ journey_id: 'j', originator: 'a', reported_by: 'a' })).toBe(
      '{"journey_id":"j","originator":"a","reported_by":"a"}',
    )
    expect(
      encodeJourneyCompletion({
        journey_id: 'j',
        originator: 'a',
        reported_by: 'b',
        message: 'hi <3',
        hops: [{ nara: 'a', timestamp: 1768774453, signature: 's', stamp: '✨' }],
      }),
    ).toBe(
      '{"journey_id":"j","originator":"a","reported_by":"b","message":"hi \\u003c3","hops":[{"nara":"a","timestamp":1768774453,"signature":"s","stamp":"✨"}]}',
    )
  })
})

describe('bigint ts', () => {
  it('round-trips 1768774453123456789 exactly (WIRE.md §10.2)', () => {
    const payload =
      '{"id":"e2b48232b780ea0d3aa555d750afa9db","ts":1768774453123456789,"svc":"hey-there","emitter":"alice","sig":"xOz0JZMQoMadMCauIk/mk8djCNXnuUNykpI/ijzfYfDqonlrrvwoM/WT85cxm8WUM+LjqBQIVZpLtQNREZq6Dg==","hey_there":{"From":"alice","PublicKey":"5W+Bh9paCZbmdobQaM4vmNHyOkmE5CbpwvFq59Hkyek=","MeshIP":"100.64.0.7","ID":"5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8","Signature":""}}'
    const r = decodeMessage(TOPICS.heyThere, utf8(payload))
    if (!r.ok || r.kind !== 'hey_there') throw new Error('decode failed')
    expect(r.message.ts).toBe(1768774453123456789n)
    expect(String(JSON.parse(payload).ts)).not.toBe('1768774453123456789') // the lossy path we avoid
    expect(encodeSyncEvent(r.message)).toBe(payload)
  })
  it('refuses to encode a ts outside int64 or not a bigint', () => {
    const ev = {
      id: 'x',
      ts: 2n ** 63n,
      svc: 'chau' as const,
      chau: { From: 'a', PublicKey: '', ID: '', Signature: '' },
    }
    expect(() => encodeSyncEvent(ev)).toThrow(RangeError)
    expect(() => encodeSyncEvent({ ...ev, ts: 5 as unknown as bigint })).toThrow(TypeError)
    expect(encodeSyncEvent({ ...ev, ts: -(2n ** 63n) })).toContain('"ts":-9223372036854775808')
  })
})
