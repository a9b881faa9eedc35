/**
 * Decode/encode throughput of @nara/protocol. Run with `pnpm bench`. Prints ops/s and µs/op;
 * no assertions (timings live here, never in tests).
 */
import { readFileSync } from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import {
  decodeMessage,
  decodeSyncEvent,
  encodeHowdy,
  encodeNaraStatus,
  encodeNewspaper,
  encodeSyncEvent,
  type HowdyEvent,
  type NaraStatus,
  parseJson,
  type SyncEvent,
} from '../src/index.js'

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..')
const vectorsPath = path.resolve(repoRoot, '..', 'shared', 'vectors', 'plaza-vectors.json')

interface Vector {
  name: string
  payload_base64: string
  transport: { topic: string | null } | null
}
const file = JSON.parse(readFileSync(vectorsPath, 'utf8')) as Record<string, { vectors?: Vector[] }>
function vector(kind: string, name: string): { topic: string; bytes: Uint8Array } {
  const v = file[kind]?.vectors?.find((x) => x.name === name)
  if (!v) throw new Error(`vector ${kind}/${name} not found`)
  return {
    topic: v.transport?.topic ?? '',
    bytes: new Uint8Array(Buffer.from(v.payload_base64, 'base64')),
  }
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
