/**
 * `pnpm bench`: sign and verify throughput of the three Ed25519 backends on three real message
 * kinds, side by side in one run. Each cell gets a fixed time budget, split into rounds that
 * alternate between the backends (so a burst of load on a shared machine hits all of them); the
 * median round is reported in operations per second (whole-message work: content string,
 * hashing, base64, Ed25519).
 *
 * Options (argv): `--budget-ms=<n>` time per cell (default 1000), `--rounds=<n>` (default 5).
 */
import { encodeNaraStatus } from '@nara/protocol'
import { availableBackends } from '../src/backends/index.js'
import {
  buildHeyThere,
  computeNaraId,
  type Ed25519Backend,
  generateSoul,
  keypairFromSoul,
} from '../src/index.js'
import {
  signHowdy,
  signNewspaperStatus,
  signSyncEvent,
  verifyHowdy,
  verifyNewspaperStatus,
  verifySyncEvent,
} from '../src/wire.js'

const budgetArg = process.argv.find((a) => a.startsWith('--budget-ms='))
const budgetMs = budgetArg ? Number(budgetArg.split('=')[1]) : 1000
const roundsArg = process.argv.find((a) => a.startsWith('--rounds='))
const rounds = roundsArg ? Number(roundsArg.split('=')[1]) : 5

const seedBytes = new Uint8Array(32).map((_, i) => i * 7 + 1)
const { soul, name } = generateSoul('bench-alice', () => seedBytes)
const { seed, publicKey } = keypairFromSoul(soul)
const signer = { name, seed }
const naraId = computeNaraId(soul, name)

const heyThere = buildHeyThere(
  { name, publicKey, meshIp: '100.64.0.7', naraId, tsNs: 1768774453123456789n },
  signer,
)

const statusJson = encodeNaraStatus({
  LicensePlate: '🇯🇵',
  Flair: '💎🌈✨',
  HostStats: {
    Uptime: 86400,
    LoadAvg: 0.42,
    MemAllocMB: 12,
    MemSysMB: 30,
    MemHeapMB: 20,
    MemStackMB: 1,
    NumGoroutines: 57,
    NumGC: 12,
    ProcCPUPercent: 1.25,
  },
  Chattiness: 50,
  Buzz: 7,
  Observations: null,
  Trend: 'vibing',
  TrendEmoji: '🌊',
  Personality: { Agreeableness: 60, Sociability: 70, Chill: 40 },
  Aura: { primary: '#FF8800', secondary: '#0088FF' },
  Version: '0.2.0',
  PublicUrl: 'https://bench-alice.example.net/some/longer/path/to/make/the/status/realistic',
  PublicKey: Buffer.from(publicKey).toString('base64'),
  ID: naraId,
  MeshEnabled: true,
  MeshIP: '100.64.0.10',
  coordinates: { x: 0.0005, y: -2.5e-7, height: 0.00001, error: 1 },
  transport_mode: 'hybrid',
  event_store_total: 123456,
  event_store_by_service: {
    chau: 4,
    checkpoint: 9,
    'hey-there': 20,
    observation: 300,
    ping: 800,
    seen: 10,
    social: 100,
  },
  event_store_critical: 42,
  memory_mode: 'medium',
  memory_budget_mb: 256,
  memory_max_events: 50000,
  stash_stored: 2,
  stash_bytes: 4096,
  stash_confidants: 3,
} as Parameters<typeof encodeNaraStatus>[0])
const statusBytes = new TextEncoder().encode(statusJson)
const howdy = { From: name, To: 'bob', Seq: 3 }

interface Case {
  label: string
  sign(b: Ed25519Backend): unknown
  prepare(b: Ed25519Backend): () => boolean
}

const cases: Case[] = [
  {
    label: 'SyncEvent hey_there',
    sign: (b) => signSyncEvent(heyThere, signer, b),
    prepare: (b) => {
      const ev = signSyncEvent(heyThere, signer, b)
      return () => verifySyncEvent(ev, publicKey, b)
    },
  },
  {
    label: `newspaper (${statusBytes.length} B Status)`,
    sign: (b) => signNewspaperStatus(statusBytes, seed, b),
    prepare: (b) => {
      const sig = signNewspaperStatus(statusBytes, seed, b)
      return () => verifyNewspaperStatus(statusBytes, sig, publicKey, b)
    },
  },
  {
    label: 'howdy',
    sign: (b) => signHowdy(howdy.From, howdy.To, howdy.Seq, seed, b),
    prepare: (b) => {
      const Signature = signHowdy(howdy.From, howdy.To, howdy.Seq, seed, b)
      return () => verifyHowdy({ ...howdy, Signature }, publicKey, b)
    },
  },
]

function opsPerSecond(fn: () => unknown, ms: number): number {
  let ops = 0
  const start = performance.now()
  const end = start + ms
  let now = start
  while (now < end) {
    for (let i = 0; i < 16; i++) fn()
    ops += 16
    now = performance.now()
  }
  return (ops * 1000) / (now - start)
}

function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)] ?? 0
}

const backends = availableBackends()
const rows: string[][] = []
for (const c of cases) {
  for (const op of ['sign', 'verify'] as const) {
    const fns = backends.map((b) => {
      if (op === 'sign') return () => c.sign(b)
      const verify = c.prepare(b)
      if (!verify()) throw new Error(`${b.name}: ${c.label} does not verify`)
      return verify
    })
    for (const fn of fns) opsPerSecond(fn, Math.min(100, budgetMs / 10)) // warm-up
    const samples: number[][] = fns.map(() => [])
    for (let r = 0; r < rounds; r++) {
      for (const [i, fn] of fns.entries()) samples[i]?.push(opsPerSecond(fn, budgetMs / rounds))
    }
    const results = samples.map(median)
    const noble = results[0] ?? 1
    rows.push([
      c.label,
      op,
      ...results.map((r, i) => (i === 0 ? fmt(r) : `${fmt(r)} (${(r / noble).toFixed(1)}x)`)),
    ])
  }
}

function fmt(n: number): string {
  return Math.round(n).toLocaleString('en-US')
}

const header = ['message', 'op', ...backends.map((b) => `${b.name} ops/s`)]
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)))
const line = (cells: string[]) =>
  `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i] ?? 0) : c.padStart(widths[i] ?? 0))).join(' | ')} |`
console.log(
  `@nara/crypto bench — node ${process.version}, ${process.platform}/${process.arch}, ${budgetMs} ms per cell (median of ${rounds} interleaved rounds); ratios vs noble`,
)
console.log(line(header))
console.log(
  `|${widths.map((w, i) => (i < 2 ? '-'.repeat(w + 2) : `${'-'.repeat(w + 1)}:`)).join('|')}|`,
)
for (const r of rows) console.log(line(r))
