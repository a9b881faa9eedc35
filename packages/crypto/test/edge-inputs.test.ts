/**
 * Issue 10, edge inputs Go naras send: each built as Go's encoder writes it (WIRE.md §2: struct
 * field order, Go's string escapes, integer digits), signed with a test soul, then decoded,
 * verified and re-encoded: the bytes must come back identical.
 */
import {
  decodeMessage,
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type HowdyEvent,
  type NewspaperMessage,
  type SyncEvent,
} from '@nara/protocol'
import { describe, expect, it } from 'vitest'
import { buildSocial, signHowdy, signNewspaperStatus, verifyDecoded } from './helpers/public-api.js'
import { identity, keyringOf, seedOf, utf8 } from './helpers/vectors.js'

const alice = identity('alice')
const INT64_MAX = 2n ** 63n - 1n
const UINT64_MAX = 2n ** 64n - 1n

/**
 * Every escape Go's encoder emits, as JSON text: `<` `>` `&` U+2028 U+2029 as `\u00xx`/`\u20xx`,
 * `\b \f \n \r \t` short forms (Go ≥ 1.22), other control characters as `\u00xx`, `\"` and `\\`;
 * DEL, non-ASCII and astral characters (a surrogate pair in JS) raw.
 */
const ESCAPED =
  '\\u003cb\\u003e \\u0026 \\u2028\\u2029 \\u0000\\u0001\\u001f\\b\\f\\n\\r\\t \u007f \\"q\\" \\\\ niño 🌈'

/** A full NaraStatus as Go writes it, with int64/uint64 values beyond 2^53. */
function statusText(observations: string): string {
  return (
    `{"LicensePlate":"","Flair":"${ESCAPED}",` +
    `"HostStats":{"Uptime":${UINT64_MAX},"LoadAvg":0.25,"MemAllocMB":${2n ** 53n + 1n},"MemSysMB":30,"MemHeapMB":20,"MemStackMB":1,"NumGoroutines":42,"NumGC":7,"ProcCPUPercent":1.5},` +
    `"Chattiness":${-(2n ** 53n + 1n)},"Buzz":${INT64_MAX},"Observations":${observations},` +
    `"Trend":"${ESCAPED}","TrendEmoji":"🔥","Personality":{"Agreeableness":10,"Sociability":20,"Chill":30},` +
    `"Aura":{"primary":"#aabbcc","secondary":"#ddeeff"},"Version":"0.2.0",` +
    `"PublicUrl":"https://x.example/?a=1\\u0026b=2","PublicKey":"${alice.public_key_base64}",` +
    `"ID":"${alice.nara_id}","MeshEnabled":true,"MeshIP":"100.64.0.1",` +
    `"coordinates":{"x":0.0001,"y":-0.0002,"height":0.00001,"error":1},"transport_mode":"mqtt",` +
    `"event_store_total":3,"event_store_by_service":{"chau":1,"hey-there":2},"event_store_critical":1,` +
    `"memory_mode":"short","memory_budget_mb":256,"memory_max_events":20000,` +
    `"stash_stored":1,"stash_bytes":2,"stash_confidants":3}`
  )
}

const OBSERVATIONS =
  '{"bob":{"restarts":1,"total_uptime":2,"start_time":3,"online":"ONLINE","last_seen":4,"cluster_name":"\\u003cc\\u003e","last_ping_rtt":1.5}}'

function howdyText(seq: bigint): string {
  const signature = signHowdy('alice', 'bob', seq, seedOf('alice'))
  return (
    `{"From":"alice","To":"bob","Seq":${seq},"You":{"restarts":1},"Neighbors":[],` +
    `"Me":${statusText(OBSERVATIONS)},"Signature":"${signature}"}`
  )
}

describe('edge inputs Go naras send: decode → verify → re-encode is byte-identical', () => {
  it('a newspaper with uint64/int64 values beyond 2^53 and every Go escape', () => {
    const status = utf8(statusText('null'))
    const signature = signNewspaperStatus(status, seedOf('alice'))
    const bytes = encodeNewspaperBytes('alice', status, signature)
    const decoded = decodeMessage('nara/newspaper/alice', bytes)
    expect(decoded.ok).toBe(true)
    expect(verifyDecoded(decoded, keyringOf())).toEqual({ verdict: 'accept', from: 'alice' })
    const paper = (decoded as { message: NewspaperMessage }).message
    const s = paper.envelope.Status
    expect([s.HostStats.Uptime, s.HostStats.MemAllocMB, s.Chattiness, s.Buzz]).toEqual([
      UINT64_MAX,
      2n ** 53n + 1n,
      -(2n ** 53n + 1n),
      INT64_MAX,
    ])
    expect(s.HostStats.MemSysMB).toBe(30) // safe values stay numbers
    const again = encodeNewspaperBytes('alice', utf8(encodeNaraStatus(s)), signature)
    expect(Buffer.from(again).equals(Buffer.from(bytes))).toBe(true)
  })

  it.each([
    ['Seq int64 max', INT64_MAX],
    ['Seq 0', 0n],
  ])('a howdy with %s, empty Neighbors and a full Status', (_name, seq) => {
    const text = howdyText(seq)
    const decoded = decodeMessage('nara/plaza/howdy', utf8(text))
    expect(decoded.ok).toBe(true)
    expect(verifyDecoded(decoded, keyringOf())).toEqual({ verdict: 'accept', from: 'alice' })
    const howdy = (decoded as { message: HowdyEvent }).message
    expect(BigInt(howdy.Seq)).toBe(seq)
    expect(howdy.Neighbors).toEqual([])
    expect(encodeHowdy(howdy)).toBe(text)
  })

  it('a social event whose actor is not its emitter: signed by the emitter, actor a claim', () => {
    const ev = buildSocial(
      {
        type: 'observation',
        actor: 'bob',
        target: 'carol',
        reason: 'saw it',
        tsNs: 1768774453123456789n,
      },
      { name: 'alice', seed: seedOf('alice') },
    )
    const bytes = utf8(encodeSyncEvent(ev as SyncEvent))
    const decoded = decodeMessage('nara/plaza/social', bytes)
    expect(verifyDecoded(decoded, keyringOf())).toEqual({ verdict: 'accept', from: 'alice' })
    const message = (decoded as { message: SyncEvent }).message
    expect(encodeSyncEvent(message)).toBe(new TextDecoder().decode(bytes))
  })
})
