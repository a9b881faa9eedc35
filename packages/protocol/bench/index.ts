/**
 * Decode/encode throughput of @nara/protocol. Run with `pnpm bench`. Prints ops/s and µs/op;
 * no assertions (timings live here, never in tests).
 */
import { type MessageKind, messageVector, payloadBytes } from '@nara/vitest-config/vectors'
import {
  decodeMessage,
  decodeSyncEvent,
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaper,
  encodeSyncEvent,
  type HowdyEvent,
  type NaraStatus,
  type SyncEvent,
} from '../src/index.js'
import { parseJson } from '../src/json.js'

function vector(kind: MessageKind, name: string): { topic: string; bytes: Uint8Array } {
  const v = messageVector(kind, name)
  return { topic: v.transport.topic ?? '', bytes: payloadBytes(v) }
}

function bench(label: string, fn: () => unknown): void {
  // warm up
  const warmEnd = performance.now() + 300
  while (performance.now() < warmEnd) fn()
  let n = 0
  const start = performance.now()
  let now = start
  while (now - start < 1000) {
    for (let i = 0; i < 1000; i++) fn()
    n += 1000
    now = performance.now()
  }
  const usPerOp = ((now - start) * 1000) / n
  const ops = Math.round(n / ((now - start) / 1000))
  process.stdout.write(
    `${label.padEnd(44)} ${ops.toLocaleString('en-US').padStart(12)} ops/s  ${usPerOp.toFixed(2).padStart(7)} µs/op\n`,
  )
}

const hey = vector('hey_there', 'hey_there_with_id')
const news = vector('newspaper', 'newspaper_alice')
const howdy = vector('howdy', 'howdy_seq1_with_neighbors')
const final = vector('checkpoint_final', 'final_checkpoint')

const heyText = Buffer.from(hey.bytes).toString('utf8')
const heyEv = decodeMessage(hey.topic, hey.bytes)
const newsR = decodeMessage(news.topic, news.bytes)
const howdyR = decodeMessage(howdy.topic, howdy.bytes)
if (!heyEv.ok || !newsR.ok || newsR.kind !== 'newspaper' || !howdyR.ok) throw new Error('setup')
const status: NaraStatus = newsR.message.envelope.Status
const statusJson = encodeNaraStatus(status)

process.stdout.write(
  `payload sizes: hey_there ${hey.bytes.length} B, newspaper ${news.bytes.length} B, howdy ${howdy.bytes.length} B\n`,
)
bench('decode hey_there (decodeMessage)', () => decodeMessage(hey.topic, hey.bytes))
bench('decode newspaper ~1 KB (decodeMessage)', () => decodeMessage(news.topic, news.bytes))
bench('decode howdy (decodeMessage)', () => decodeMessage(howdy.topic, howdy.bytes))
bench('decode checkpoint final (decodeMessage)', () => decodeMessage(final.topic, final.bytes))
bench('decodeSyncEvent hey_there', () => decodeSyncEvent(hey.bytes))
bench('  of which: parseJson hey_there', () => parseJson(heyText))
bench('  baseline: JSON.parse hey_there (lossy)', () => JSON.parse(heyText))
bench('encode hey_there (encodeSyncEvent)', () => encodeSyncEvent(heyEv.message as SyncEvent))
bench('encode status (encodeNaraStatus)', () => encodeNaraStatus(status))
bench('encode newspaper envelope', () => encodeNewspaper('alice', statusJson, 'sig'))
bench('encode howdy (encodeHowdy)', () => encodeHowdy(howdyR.message as HowdyEvent))
