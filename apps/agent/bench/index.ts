/**
 * Scale benchmark: towns of 100, 300 and 1,000 naras against a local mosquitto at chattiness 100.
 * A town is split over ceil(size / BENCH_NARAS_PER_PROCESS) town processes (`NARA_MODE=town`), so
 * naras of one process share the decode and signature caches. For each size it prints:
 *
 * - `allOnlineAfterS`: from the first spawn until every nara sees every other one ONLINE;
 * - `howdysPerJoin`: howdys published / hey_theres published until then (the join burst);
 * - `newspapersDeliveredVerifiedShare` over the steady window: newspapers verified by the naras /
 *   (newspapers published × (size − 1));
 * - RSS (sum over processes, at the end and the peak) and CPU cores used (town processes only,
 *   not mosquitto) in the join phase and in the window; the load average.
 *
 * Knobs: BENCH_SIZES=100,300,1000, BENCH_WINDOW_S=60, BENCH_SETTLE_LIMIT_S=300,
 * BENCH_NARAS_PER_PROCESS=500, BENCH_JOIN_RAMP_MS (town default: 100), BENCH_HOWDY_OBSERVATIONS_MAX
 * (default: the full map, as Go).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, startMosquitto } from '@nara/vitest-config/brokers'
import type { TownSummary } from '../src/town.js'

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const env = process.env
const sizes = (env.BENCH_SIZES ?? '100,300,1000').split(',').map(Number)
const windowS = Number(env.BENCH_WINDOW_S ?? 60)
const settleLimitS = Number(env.BENCH_SETTLE_LIMIT_S ?? 300)
const perProcess = Number(env.BENCH_NARAS_PER_PROCESS ?? 500)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const mb = (bytes: number) => Math.round(bytes / 2 ** 20)

/** RSS of a process from /proc, in bytes (0 once it is gone). */
function rssOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

async function run(size: number) {
  const broker = await startMosquitto()
  const count = Math.ceil(size / perProcess)
  const shares = Array.from(
    { length: count },
    (_, i) => Math.floor(size / count) + (i < size % count ? 1 : 0),
  )
  const procs = await Promise.all(
    shares.map(async (share) => {
      const port = await freePort()
      const proc = spawn(process.execPath, [MAIN], {
        env: {
          PATH: env.PATH ?? '',
          HOME: env.HOME ?? tmpdir(),
          MQTT_HOST: broker.url,
          NARA_MODE: 'town',
          NARA_TOWN_SIZE: String(share),
          NARA_CHATTINESS: '100',
          NARA_DATA_DIR: mkdtempSync(join(tmpdir(), 'nara-bench-')),
          NARA_HTTP_PORT: String(port),
          NARA_LOG_LEVEL: 'warn',
          NARA_LOG_PRETTY: 'false',
          ...(env.BENCH_JOIN_RAMP_MS ? { NARA_TOWN_JOIN_RAMP_MS: env.BENCH_JOIN_RAMP_MS } : {}),
          ...(env.BENCH_HOWDY_OBSERVATIONS_MAX
            ? { NARA_HOWDY_OBSERVATIONS_MAX: env.BENCH_HOWDY_OBSERVATIONS_MAX }
            : {}),
        },
        stdio: ['ignore', 'ignore', 'inherit'],
      })
      return { proc, port, share }
    }),
  )
  const summaries = async (): Promise<TownSummary[] | undefined> => {
    try {
      const docs = await Promise.all(
        procs.map(async (p) => {
          const res = await fetch(`http://127.0.0.1:${p.port}/status`)
          return ((await res.json()) as { town: { summary: TownSummary } }).town.summary
        }),
      )
      return docs
    } catch {
      return undefined
    }
  }
  const sum = (xs: TownSummary[], f: (s: TownSummary) => number) =>
    xs.reduce((acc, s) => acc + f(s), 0)
  const cpuMs = (s: TownSummary) => s.cpuUserMs + s.cpuSystemMs
  let peakRss = 0
  const sampleRss = () => {
    peakRss = Math.max(
      peakRss,
      procs.reduce((acc, p) => acc + rssOf(p.proc.pid), 0),
    )
  }

  const t0 = Date.now()
  const load0 = loadavg()
  let allOnlineS: number | undefined
  let settled: TownSummary[] | undefined
  for (;;) {
    await sleep(1000)
    sampleRss()
    const s = await summaries()
    if (
      s?.every((x, i) => x.naras === procs[i]?.share) &&
      s.every((x) => x.minOnlineSeen >= size - 1)
    ) {
      allOnlineS = (Date.now() - t0) / 1000
      settled = s
      break
    }
    settled = s ?? settled
    if (Date.now() - t0 > settleLimitS * 1000) break
  }
  const joinS = (Date.now() - t0) / 1000
  const a = await summaries()
  await sleep(windowS * 1000)
  sampleRss()
  const b = await summaries()
  const load1 = loadavg()
  for (const p of procs) p.proc.kill('SIGTERM')
  await Promise.all(
    procs.map((p) =>
      p.proc.exitCode !== null || p.proc.signalCode !== null
        ? undefined
        : new Promise((r) => p.proc.once('exit', r)),
    ),
  )
  await broker.close()
  if (!a || !b || !settled) return { size, error: 'no status from a town process' }
  const sent = sum(b, (s) => s.newspapersOut) - sum(a, (s) => s.newspapersOut)
  const got = sum(b, (s) => s.newspapersIn) - sum(a, (s) => s.newspapersIn)
  const drops: Record<string, number> = {}
  for (const s of b) for (const [k, v] of Object.entries(s.drops)) drops[k] = (drops[k] ?? 0) + v
  return {
    size,
    processes: procs.length,
    allOnlineAfterS: allOnlineS ?? `not within ${settleLimitS} s`,
    seenOnlineRange: `${Math.min(...settled.map((s) => s.minOnlineSeen))}-${Math.max(...settled.map((s) => s.maxOnlineSeen))} of ${size - 1}`,
    howdysPerJoin: Number(
      (
        sum(settled, (s) => s.howdysOut) /
        Math.max(
          1,
          sum(settled, (s) => s.heyTheresOut),
        )
      ).toFixed(1),
    ),
    newspapersInWindow: sent,
    newspapersDeliveredVerifiedShare:
      sent > 0 ? Number((got / (sent * (size - 1))).toFixed(4)) : null,
    rssMB: mb(sum(b, (s) => s.rssBytes)),
    peakRssMB: mb(peakRss),
    cpuCoresJoin: Number((sum(a, cpuMs) / 1000 / joinS).toFixed(2)),
    cpuCoresWindow: Number(((sum(b, cpuMs) - sum(a, cpuMs)) / 1000 / windowS).toFixed(2)),
    dropsTotal: drops,
    loadAvg1m: [Number(load0[0]?.toFixed(2)), Number(load1[0]?.toFixed(2))],
  }
}

process.stdout.write(
  `${JSON.stringify({ cores: cpus().length, windowS, perProcess, node: process.version })}\n`,
)
for (const size of sizes) {
  const r = await run(size)
  process.stdout.write(`${JSON.stringify(r)}\n`)
}
