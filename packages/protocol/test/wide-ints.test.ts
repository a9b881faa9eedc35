/**
 * Issue 10: Go's int64/uint64 fields that Go naras fill beyond 2^53 (howdy `Seq`, `HostStats`
 * uint64s, `Chattiness`, `Buzz`) are held losslessly: a number while safe, the exact bigint
 * beyond, and re-encoded digit for digit; values outside the Go type stay refused. The zod
 * schema and the fast decoder agree.
 */
import { describe, expect, it } from 'vitest'
import { howdyEventDecoder } from '../src/howdy.js'
import { runDecoder } from '../src/tree-decoder.js'
import {
  decodeMessage,
  encodeHowdy,
  type HowdyEvent,
  howdyEventSchema,
  parseJson,
} from './helpers/public-api.js'

const enc = new TextEncoder()
const ZERO_STATUS =
  '{"LicensePlate":"","Flair":"","HostStats":{"Uptime":UPTIME,"LoadAvg":0,"MemAllocMB":0,"MemSysMB":0,"MemHeapMB":0,"MemStackMB":0,"NumGoroutines":0,"NumGC":0,"ProcCPUPercent":0},"Chattiness":CHAT,"Buzz":0,"Observations":{},"Trend":"","TrendEmoji":"","Personality":{"Agreeableness":0,"Sociability":0,"Chill":0},"Aura":{"primary":"","secondary":""},"Version":"","PublicUrl":"","PublicKey":"","ID":"","MeshEnabled":false,"MeshIP":""}'

function howdy(seq: string, uptime = '0', chattiness = '0'): string {
  const me = ZERO_STATUS.replace('UPTIME', uptime).replace('CHAT', chattiness)
  return `{"From":"a","To":"b","Seq":${seq},"You":{},"Neighbors":null,"Me":${me},"Signature":""}`
}

const decode = (text: string) => decodeMessage('nara/plaza/howdy', enc.encode(text))

describe('wide integers', () => {
  it.each([
    ['9223372036854775807', '18446744073709551615', '-9223372036854775808'],
    ['9007199254740993', '9007199254740993', '-9007199254740993'],
    ['9007199254740991', '9007199254740991', '-9007199254740991'],
  ])(
    'Seq %s, Uptime %s, Chattiness %s: decoded exactly and re-encoded digit for digit',
    (seq, up, chat) => {
      const text = howdy(seq, up, chat)
      const d = decode(text)
      expect(d.ok).toBe(true)
      const h = (d as { message: HowdyEvent }).message
      expect([BigInt(h.Seq), BigInt(h.Me.HostStats.Uptime), BigInt(h.Me.Chattiness)]).toEqual([
        BigInt(seq),
        BigInt(up),
        BigInt(chat),
      ])
      // A number while safe, a bigint beyond.
      expect(typeof h.Seq).toBe(BigInt(seq) > BigInt(Number.MAX_SAFE_INTEGER) ? 'bigint' : 'number')
      expect(encodeHowdy(h)).toBe(text)
      // The zod schema (the reference) reads the same values.
      const tree = parseJson(text)
      if (!tree.ok) throw new Error('parse')
      expect(runDecoder(howdyEventDecoder, tree.value)).toEqual({
        ok: true,
        value: howdyEventSchema.parse(tree.value),
      })
    },
  )

  it.each([
    ['Seq beyond int64', howdy('9223372036854775808')],
    ['Uptime beyond uint64', howdy('1', '18446744073709551616')],
    ['negative Uptime', howdy('1', '-1')],
    ['Chattiness below int64', howdy('1', '0', '-9223372036854775809')],
    ['a fraction', howdy('1.5')],
  ])('%s is still refused', (_name, text) => {
    expect(decode(text)).toMatchObject({ ok: false, reason: 'bad-schema' })
  })
})
