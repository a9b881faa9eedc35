/**
 * The newspaper fast path is a recogniser of a subset of what the reference path (lossless
 * parser with spans + tree decoder) accepts: whenever it answers, the reference path must accept
 * the same text, build the same envelope (same keys in the same order, same values) and find the
 * `Status` value at the same place. Checked on the golden vectors, on statuses of every shape the
 * encoder writes, and on many mutations of them.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { fastNewspaper } from '../src/newspaper-fast.js'
import { mutate } from './helpers/fast-path.js'
import { checkBytes, reference } from './helpers/newspaper-reference.js'
import {
  decodeMessage,
  encodeNaraStatus,
  encodeNewspaper,
  type NaraStatus,
  newspaperTopic,
} from './helpers/public-api.js'
import { bytesOf, loadVectors, utf8 } from './vectors.js'

/** The fast path reads bytes (as they arrive: valid UTF-8, so a lone surrogate became U+FFFD). */
const fastOf = (text: string) => fastNewspaper(Buffer.from(text))
const check = (text: string) => checkBytes(Buffer.from(text))

const vectorTexts = loadVectors()
  .filter((v) => v.kind === 'newspaper')
  .map((v) => new TextDecoder().decode(bytesOf(v)))

const FULL: NaraStatus = {
  LicensePlate: '🇯🇵',
  Flair: '💎🧑‍🚀',
  HostStats: {
    Uptime: 86400,
    LoadAvg: 0.25,
    MemAllocMB: 12,
    MemSysMB: 30,
    MemHeapMB: 20,
    MemStackMB: 1,
    NumGoroutines: 42,
    NumGC: 7,
    ProcCPUPercent: 1.5,
  },
  Chattiness: 73,
  Buzz: 9,
  Observations: {
    bob: { restarts: 2, online: 'ONLINE', last_seen: 1768478390, avg_ping_rtt: 11.75 },
    carol: {},
  },
  Trend: 'vibing',
  TrendEmoji: '🔥',
  Personality: { Agreeableness: 10, Sociability: 20, Chill: 30 },
  Aura: { primary: '#AABBCC', secondary: '#DDEEFF' },
  Version: '0.2.0',
  PublicUrl: 'https://alice.example/',
  PublicKey: 'ORHN8e/hGMim8CWamIDrYQ7GURwM4MCDajlccFK8B00=',
  ID: '5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8',
  MeshEnabled: true,
  MeshIP: '100.64.0.10',
  coordinates: { x: 0.0005, y: -2.5e-7, height: 0.00001, error: 1 },
  transport_mode: 'mqtt',
  event_store_total: 3,
  event_store_by_service: { social: 2, 'hey-there': 1 },
  event_store_critical: 1,
  memory_mode: 'short',
  memory_budget_mb: 256,
  memory_max_events: 20000,
  stash_stored: 1,
  stash_bytes: 2,
  stash_confidants: 3,
}
const SLIM: NaraStatus = {
  ...FULL,
  Observations: null,
  coordinates: undefined,
  event_store_by_service: undefined,
  stash_stored: undefined,
}
/** Integers over 15 characters: the reference path reads them (bigint beyond 2^53). */
const WIDE: NaraStatus = {
  ...SLIM,
  HostStats: { ...FULL.HostStats, Uptime: 2n ** 60n, MemAllocMB: 2 ** 53 - 1 },
  Chattiness: -(2n ** 62n),
}
/** Non-ASCII strings, short and long, in values and in map keys (read from the bytes as UTF-8). */
const UNICODE: NaraStatus = {
  ...FULL,
  Observations: { é: {}, 'zoë-with-a-lönger-näme': { online: 'ONLINE', cluster_emoji: '🌊' } },
  Trend: 'ça va très bien, merci 🙂',
  MeshIP: 'ñ',
}
const paper = (s: NaraStatus) => encodeNewspaper('alice', encodeNaraStatus(s), 'c2ln')
const plain = [...vectorTexts, paper(FULL), paper(SLIM), paper(UNICODE)]
const texts = [...plain, paper(WIDE)]

const SNIPPETS = [
  '"',
  '\\',
  '\\u0041',
  ' ',
  '\n',
  ',',
  ':',
  '{',
  '}',
  '[]',
  'null',
  'true',
  'false',
  '0',
  '-0',
  '-',
  '01',
  '1.5',
  '1e3',
  '1e999',
  '4294967296',
  '9999999999999999',
  '\u0001',
  '\ufeff',
  'é',
  '"ID":"x",',
  '"Id":"x",',
  '"extra":1,',
  '"From":"x",',
  '"Signature":"x",',
  '"Buzz":1,',
  '"Observations":{},',
  '"Observations":{"a":{}},',
  '"coordinates":null,',
  '"coordinates":{},',
  '"event_store_by_service":{},',
  '"HostStats":{},',
  '"Aura":null,',
  '"NumGC":-1,',
]

describe('fastNewspaper', () => {
  it('answers for the plain vectors and encoded statuses, as the reference does', () => {
    expect(vectorTexts.length).toBeGreaterThan(3)
    for (const t of plain) {
      // Every text the reference accepts is plain here unless it holds an escape.
      expect(check(t)).toBe(reference(t) !== undefined && !t.includes('\\'))
    }
    expect(fastOf(paper(WIDE))).toBeUndefined()
    expect(reference(paper(WIDE))).toBeDefined()
  })

  it('never accepts what the reference refuses, and agrees when both accept (mutations)', () => {
    const rand = seededRandom(20261204)
    let answered = 0
    let total = 0
    for (const base of texts) {
      for (let n = 0; n < 1500; n++) {
        total++
        if (check(mutate(base, rand, SNIPPETS))) answered++
      }
    }
    expect(answered).toBeGreaterThan(total / 50)
    expect(answered).toBeLessThan(total)
  })

  it('leaves escapes, unknown keys, long integers and odd shapes to the reference', () => {
    const ok = paper(SLIM)
    // A number where a struct or a map belongs: the fast path once took it (HostStats: 5).
    const numberForStruct = [
      ok.replace(/"HostStats":\{[^}]*\}/, '"HostStats":5'),
      ok.replace(/"Aura":\{[^}]*\}/, '"Aura":1'),
      ok.replace('"Observations":null', '"Observations":7'),
      ok.replace(
        '"event_store_critical":1',
        '"event_store_by_service":-3,"event_store_critical":1',
      ),
      ok.replace('"MeshIP":"100.64.0.10"', '"MeshIP":"100.64.0.10","coordinates":2'),
    ]
    for (const t of numberForStruct) {
      expect(t).not.toBe(ok)
      expect(decodeMessage(newspaperTopic('alice'), utf8(t))).toMatchObject({
        ok: false,
        reason: 'bad-schema',
      })
    }
    expect(fastOf(ok)).toBeDefined()
    for (const t of [
      ok.replace('"vibing"', '"vib\\u0069ng"'),
      ok.replace('"Buzz":9', '"Buzz":9,"Extra":1'),
      ok.replace('"Buzz":9', '"buzz":9'),
      ok.replace('"Buzz":9', '"Buzz":9,"Buzz":9'),
      ok.replace('"Buzz":9', '"Buzz":9.0'),
      ok.replace('"NumGC":7', '"NumGC":4294967296'),
      ok.replace('"LoadAvg":0.25', '"LoadAvg":1e999'),
      ok.replace(/"HostStats":\{[^}]*\},/, ''),
      ok.replace('"Trend":"vibing"', '"Trend":null'),
      ...numberForStruct,
      ok.replace('"Signature":"c2ln"', '"Signature":"c2ln","X":1'),
      `${ok}x`,
      `\ufeff${ok}`,
    ]) {
      expect(fastOf(t)).toBeUndefined()
    }
    // Absent scalars take their zero value, as in the reference.
    check(ok.replace('"Buzz":9,', '').replace('"MeshIP":"100.64.0.10",', ''))
  })

  it('agrees with the reference when any field holds a value of any other JSON kind', () => {
    // Every member of the Status and of the structs and maps in it, its value swapped for each
    // kind of JSON value: the fast path answers only where the reference builds the same.
    const VALUES = ['0', '-1', '1.5', '"x"', 'true', 'null', '{}', '[]', '{"a":1}']
    const status = JSON.parse(encodeNaraStatus(FULL)) as Record<string, unknown>
    const paths: string[][] = []
    for (const [k, v] of Object.entries(status)) {
      paths.push([k])
      if (v !== null && typeof v === 'object')
        for (const inner of Object.keys(v)) paths.push([k, inner])
    }
    let answered = 0
    let refused = 0
    for (const path of paths) {
      for (const value of VALUES) {
        const copy = structuredClone(status)
        const parent = (path.length === 1 ? copy : copy[path[0] as string]) as Record<
          string,
          unknown
        >
        parent[path[path.length - 1] as string] = JSON.parse(value)
        const t = encodeNewspaper('alice', JSON.stringify(copy), 'c2ln')
        if (check(t)) answered++
        else if (reference(t) === undefined) refused++
      }
    }
    expect(paths.length).toBeGreaterThan(40)
    expect(answered).toBeGreaterThan(0)
    expect(refused).toBeGreaterThan(paths.length)
  })

  it('gives decodeMessage the same verdict and the exact Status bytes either way', () => {
    const topic = newspaperTopic('alice')
    for (const t of texts) {
      const r = decodeMessage(topic, utf8(t))
      const ref = reference(t)
      if (ref === undefined || !r.ok || r.kind !== 'newspaper') {
        expect(r.ok).toBe(ref !== undefined)
        continue
      }
      expect(new TextDecoder().decode(r.message.statusBytes)).toBe(t.slice(...ref.span))
    }
    // The Status bytes are a copy: they alias neither the payload nor another paper's bytes.
    const first = utf8(paper(FULL))
    const second = utf8(paper(UNICODE))
    const a = decodeMessage(topic, first)
    const b = decodeMessage(topic, second)
    if (!a.ok || a.kind !== 'newspaper' || !b.ok || b.kind !== 'newspaper') throw new Error('plain')
    const [aText, bText] = [a, b].map((r) => new TextDecoder().decode(r.message.statusBytes))
    first.fill(0x20)
    second.fill(0x20)
    expect(new TextDecoder().decode(a.message.statusBytes)).toBe(aText)
    expect(new TextDecoder().decode(b.message.statusBytes)).toBe(bText)
    expect(aText).toContain('"Buzz":9')
    expect(bText).toContain('zoë')
    const dup = paper(SLIM).replace('"Buzz":9', '"Buzz":9,"Buzz":9')
    expect(decodeMessage(topic, utf8(dup))).toMatchObject({ ok: false, reason: 'bad-json' })
    const variant = paper(SLIM).replace('"Buzz":9', '"buzz":9')
    expect(decodeMessage(topic, utf8(variant))).toMatchObject({ ok: false, reason: 'bad-schema' })
  })
})
