/**
 * A seeded random differential test of the newspaper fast path on bytes: newspapers whose every
 * string and map key is random valid non-ASCII text (2/3/4-byte UTF-8, U+FFFD, U+FEFF, U+2028,
 * noncharacters, C1 controls, lengths around the 12/13-byte short/long split, a non-ASCII byte
 * right before a closing quote), with random whitespace and member order. Whenever the fast path
 * answers, the reference path (lossless parser + tree decoder on the UTF-8 text) must build the
 * same envelope and find `Status` at the same byte span; without escapes or duplicate keys the
 * fast path must answer; and `decodeMessage` must hand back exactly the `Status` bytes.
 */
import { seededRandom } from '@nara/vitest-config/random'
import { describe, expect, it } from 'vitest'
import { mutate } from './helpers/fast-path.js'
import { byteSpan, checkBytes, reference } from './helpers/newspaper-reference.js'
import { decodeMessage, newspaperTopic } from './helpers/public-api.js'
import { int, nearKey, pick, type Rand, text } from './helpers/unicode.js'

/** Fast answer on the bytes == reference on their UTF-8 text; whether the fast path answered. */
const check = checkBytes

const quote = (s: string) => JSON.stringify(s)

/** An object literal from members, with random whitespace; `shuffle`: sometimes in random order. */
function object(rand: Rand, members: [string, string][], shuffle = false): string {
  const ws = () => pick(rand, ['', '', '', ' ', '\n', '\t', '\r\n  '])
  const ms = members.slice()
  if (shuffle && rand() < 0.3) ms.sort(() => rand() - 0.5)
  if (ms.length === 0) return `{${ws()}}`
  return `{${ws()}${ms.map(([k, v]) => `${quote(k)}${ws()}:${ws()}${v}`).join(`${ws()},${ws()}`)}${ws()}}`
}

/** Members with some optional ones left out (`keep`: always written). */
function some(rand: Rand, members: [string, string][], keep: readonly string[] = []) {
  return members.filter(([k]) => keep.includes(k) || rand() < 0.8)
}

/** Map members: random and near-duplicate keys; whether a key repeats exactly. */
function mapMembers(
  rand: Rand,
  value: () => string,
): { members: [string, string][]; dup: boolean } {
  const keys: string[] = []
  for (let n = int(rand, 0, 5); n > 0; n--) {
    const k = keys.length > 0 && rand() < 0.4 ? nearKey(rand, pick(rand, keys)) : text(rand)
    keys.push(k)
  }
  return { members: keys.map((k) => [k, value()]), dup: new Set(keys).size !== keys.length }
}

function observation(rand: Rand): string {
  const n = () => String(int(rand, -5, 1e9))
  return object(
    rand,
    some(rand, [
      ['restarts', n()],
      ['total_uptime', n()],
      ['start_time', n()],
      ['online', quote(text(rand))],
      ['last_seen', n()],
      ['last_restart', n()],
      ['cluster_name', quote(text(rand))],
      ['cluster_emoji', quote(text(rand))],
      ['last_ping_rtt', String(rand() * 100)],
      ['avg_ping_rtt', '0.5'],
      ['last_ping_time', n()],
    ]),
    true,
  )
}

/** A random newspaper (UTF-8 text), and whether a map in it repeats a key. */
function newspaper(rand: Rand): { paper: string; dup: boolean } {
  const s = () => quote(text(rand))
  const u = () => String(int(rand, 0, 1e12))
  const obs = mapMembers(rand, () => observation(rand))
  const svc = mapMembers(rand, () => String(int(rand, -3, 99)))
  const host = object(rand, [
    ['Uptime', u()],
    ['LoadAvg', '0.25'],
    ['MemAllocMB', u()],
    ['MemSysMB', u()],
    ['MemHeapMB', u()],
    ['MemStackMB', u()],
    ['NumGoroutines', u()],
    ['NumGC', String(int(rand, 0, 2 ** 32 - 1))],
    ['ProcCPUPercent', '1.5'],
  ])
  const members: [string, string][] = [
    ['LicensePlate', s()],
    ['Flair', s()],
    ['HostStats', host],
    ['Chattiness', String(int(rand, -100, 100))],
    ['Buzz', u()],
    ['Observations', rand() < 0.1 ? 'null' : object(rand, obs.members)],
    ['Trend', s()],
    ['TrendEmoji', s()],
    [
      'Personality',
      object(rand, [
        ['Agreeableness', '1'],
        ['Sociability', '2'],
        ['Chill', '3'],
      ]),
    ],
    [
      'Aura',
      object(
        rand,
        [
          ['primary', s()],
          ['secondary', s()],
        ],
        true,
      ),
    ],
    ['Version', s()],
    ['PublicUrl', s()],
    ['PublicKey', s()],
    ['ID', s()],
    ['MeshEnabled', pick(rand, ['true', 'false'])],
    ['MeshIP', s()],
    [
      'coordinates',
      rand() < 0.3
        ? 'null'
        : object(rand, [
            ['x', '1'],
            ['y', '-2.5e-7'],
            ['height', '0'],
            ['error', '1'],
          ]),
    ],
    ['transport_mode', s()],
    ['event_store_total', u()],
    ['event_store_by_service', rand() < 0.1 ? 'null' : object(rand, svc.members)],
    ['event_store_critical', u()],
    ['memory_mode', s()],
    ['memory_budget_mb', u()],
    ['memory_max_events', u()],
    ['stash_stored', u()],
    ['stash_bytes', u()],
    ['stash_confidants', u()],
  ]
  const written = some(rand, members, ['HostStats', 'Personality', 'Aura'])
  const has = (k: string) => written.some(([key, v]) => key === k && v !== 'null')
  const status = object(rand, written, true)
  const envelope = object(
    rand,
    [
      ['From', s()],
      ['Status', status],
      ['Signature', s()],
    ],
    true,
  )
  return {
    paper: envelope,
    dup: (has('Observations') && obs.dup) || (has('event_store_by_service') && svc.dup),
  }
}

const TOPIC = newspaperTopic('alice')

describe('fastNewspaper on random non-ASCII newspapers', () => {
  it('answers for every paper without a repeated key, exactly as the reference does', () => {
    const rand = seededRandom(20261205)
    let dups = 0
    for (let n = 0; n < 3000; n++) {
      const { paper, dup } = newspaper(rand)
      const bytes = Buffer.from(paper)
      expect(bytes.toString()).toBe(paper)
      const answered = check(bytes)
      if (dup) dups++
      expect({ paper, answered }).toEqual({ paper, answered: !dup })
      const r = decodeMessage(TOPIC, bytes)
      expect(r.ok).toBe(!dup)
      if (!r.ok || r.kind !== 'newspaper') continue
      const ref = reference(paper)!
      const [start, end] = byteSpan(paper, ref.span)
      expect(Buffer.from(r.message.statusBytes).equals(bytes.subarray(start, end))).toBe(true)
      expect(JSON.parse(paper).From).toBe(r.message.envelope.From)
    }
    expect(dups).toBeGreaterThan(30)
  })

  it('never accepts what the reference refuses, and agrees when both accept (mutations)', () => {
    const rand = seededRandom(4242)
    const snippets = [
      '"',
      '\\',
      ' ',
      ',',
      ':',
      '{',
      '}',
      'é',
      '🙂',
      '\u2028',
      '\ufeff',
      '\u0080',
      'Ã©',
      '\uffff',
    ]
    let answered = 0
    for (let n = 0; n < 3000; n++) {
      const { paper } = newspaper(rand)
      if (check(Buffer.from(mutate(paper, rand, snippets)))) answered++
    }
    expect(answered).toBeGreaterThan(30)
  })

  it('refuses invalid UTF-8 in a string before the fast path reads it', () => {
    const ok = '{"From":"a","Status":{"HostStats":{},"Personality":{},"Aura":{},"Trend":"xy"}}'
    expect(decodeMessage(TOPIC, Buffer.from(ok)).ok).toBe(true)
    const [head, tail] = ok.split('xy') as [string, string]
    // A surrogate, overlongs, a code point over U+10FFFF, a lone continuation, a cut sequence.
    for (const bad of ['eda080', 'c0af', 'c1bf', 'e08080', 'f4908080', 'f5808080', '80', 'e282']) {
      const bytes = Buffer.concat([Buffer.from(head), Buffer.from(bad, 'hex'), Buffer.from(tail)])
      expect(decodeMessage(TOPIC, bytes)).toMatchObject({ ok: false, reason: 'bad-utf8' })
    }
  })

  it('keeps every Status copy intact and private, from payloads cut out of one read', () => {
    const rand = seededRandom(99)
    const kept: { statusBytes: Uint8Array; expected: Buffer }[] = []
    for (let n = 0; n < 400; n++) {
      const papers = [newspaper(rand), newspaper(rand), newspaper(rand)].filter((p) => !p.dup)
      const read = Buffer.from(papers.map((p) => p.paper).join(''))
      let at = 0
      for (const { paper } of papers) {
        const len = Buffer.byteLength(paper)
        const payload = new Uint8Array(read.buffer, read.byteOffset + at, len)
        const r = decodeMessage(TOPIC, payload)
        if (!r.ok || r.kind !== 'newspaper') throw new Error(`refused: ${paper}`)
        const [start, end] = byteSpan(paper, reference(paper)!.span)
        kept.push({
          statusBytes: r.message.statusBytes,
          expected: Buffer.from(payload.slice(start, end)),
        })
        at += len
      }
      read.fill(0x7b)
    }
    // A receiver handing one copy to a worker: the others, and later decodes, are unaffected.
    const last = kept.pop()!.statusBytes
    structuredClone(last, { transfer: [last.buffer as ArrayBuffer] })
    const again = newspaper(rand)
    expect(decodeMessage(TOPIC, Buffer.from(again.paper)).ok).toBe(!again.dup)
    for (const { statusBytes, expected } of kept) {
      expect(Buffer.from(statusBytes).equals(expected)).toBe(true)
      expect(statusBytes.buffer.byteLength).toBe(statusBytes.length)
    }
  })
})
