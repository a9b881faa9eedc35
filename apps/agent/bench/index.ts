/**
 * Scale benchmark: towns of 100, 300 and 1,000 naras against a local mosquitto at chattiness 100.
 * A town is split over `BENCH_PROCESSES` (default 2: one per core) town processes
 * (`NARA_MODE=town`); a town process is one plaza receiver (one connection, every message
 * verified once) and one speaker per nara. The town joins
 * over a ramp (one nara every `BENCH_JOIN_GAP_MS` town-wide, per size), so that howdy rounds do not
 * pile up. For each size it prints:
 *
 * - `allOnlineAfterS`: from the first spawn until every nara sees every other one ONLINE (or,
 *   `BENCH_SETTLE_LIMIT_S` after the end of the join ramp, the range of ONLINE neighbours the naras
 *   see);
 * - `howdysPerJoin`: howdys published / hey_theres published until then (the join burst);
 * - `newspapersDeliveredVerifiedShare` over the steady window: newspapers verified by the naras /
 *   (newspapers published × (size − 1));
 * - RSS (sum over town processes at the end, and the peak) and CPU cores used by the town processes
 *   in the join phase and in the window, mosquitto's RSS and CPU; the load average;
 * - drops by reason and by the plaza rule that fired; the stop: seconds from SIGTERM to exit and
 *   the exit codes.
 *
 * Knobs: BENCH_SIZES=100,300,1000, BENCH_WINDOW_S=60, BENCH_SETTLE_LIMIT_S=120, BENCH_PROCESSES=2,
 * BENCH_JOIN_GAP_MS (default 100 / 150 / 250 ms for 100 / 300 / 1,000 naras),
 * BENCH_HOWDY_OBSERVATIONS_MAX=20 (`full` = the whole map, as Go).
 * It also prints `signatureChecksPerMessage`: the receivers' signature checks / messages received.
 */
import { spawn } from 'node:child_process'
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { encodeSoul, generateSoul } from '@nara/crypto'
import { freePort, startMosquitto } from '@nara/vitest-config/brokers'
import type { TownSummary } from '../src/town.js'

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const env = process.env
const sizes = (env.BENCH_SIZES ?? '100,300,1000').split(',').map(Number)
const windowS = Number(env.BENCH_WINDOW_S ?? 60)
const settleLimitS = Number(env.BENCH_SETTLE_LIMIT_S ?? 120)
const processCount = Number(env.BENCH_PROCESSES ?? 2)
const observationsMax = env.BENCH_HOWDY_OBSERVATIONS_MAX ?? '20'
const defaultGapMs = (size: number) => (size <= 100 ? 100 : size <= 300 ? 150 : 250)
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const mb = (bytes: number) => Math.round(bytes / 2 ** 20)
const CLK_TCK = 100

/** RSS of a process from /proc, in bytes (0 once it is gone). */
function rssOf(pid: number | undefined): number {
  try {
    const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return m ? Number(m[1]) * 1024 : 0
  } catch {
    return 0
  }
}

/** User + system CPU seconds of a process from /proc (0 once it is gone). */
function cpuSecondsOf(pid: number | undefined): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? []
    return (Number(fields[11]) + Number(fields[12])) / CLK_TCK
  } catch {
    return 0
  }
}

/** The mosquitto we started: the process whose command line names its config file (read only). */
function pidOfConfig(configFile: string): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue
    try {
      if (readFileSync(`/proc/${entry}/cmdline`, 'utf8').includes(configFile)) return Number(entry)
    } catch {
      // gone
    }
  }
  return undefined
}

async function run(size: number) {
  const broker = await startMosquitto({ extraConfig: ['set_tcp_nodelay true'] })
  const brokerPid = pidOfConfig(broker.configFile)
  const count = Math.min(processCount, size)
  const gapMs = Number(env.BENCH_JOIN_GAP_MS ?? defaultGapMs(size))
  const shares = Array.from(
    { length: count },
    (_, i) => Math.floor(size / count) + (i < size % count ? 1 : 0),
  )
  const dataDirs = seedUniqueIdentities(shares)
  const t0 = Date.now()
  const procs = await Promise.all(
    shares.map(async (share, i) => {
      const port = await freePort()
      // Process i starts i gaps later and each process joins one nara every count × gap ms, so
      // the town as a whole joins one nara every gap ms.
      await sleep(i * gapMs)
      const proc = spawn(process.execPath, [MAIN], {
        env: {
          PATH: env.PATH ?? '',
          HOME: env.HOME ?? tmpdir(),
          MQTT_HOST: broker.url,
          NARA_MODE: 'town',
          NARA_TOWN_SIZE: String(share),
          NARA_CHATTINESS: '100',
          NARA_DATA_DIR: dataDirs[i] as string,
          NARA_HTTP_PORT: String(port),
          NARA_LOG_LEVEL: 'warn',
          NARA_LOG_PRETTY: 'false',
          NARA_TOWN_JOIN_RAMP_MS: String(gapMs * count),
          ...(observationsMax === 'full' ? {} : { NARA_HOWDY_OBSERVATIONS_MAX: observationsMax }),
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
  let peakBrokerRss = 0
  const sampleRss = () => {
    peakRss = Math.max(
      peakRss,
      procs.reduce((acc, p) => acc + rssOf(p.proc.pid), 0),
    )
    peakBrokerRss = Math.max(peakBrokerRss, rssOf(brokerPid))
  }

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
    // The limit counts from the end of the join ramp (the last nara's start).
    if (Date.now() - t0 > size * gapMs + settleLimitS * 1000) break
  }
  const joinS = (Date.now() - t0) / 1000
  const a = await summaries()
  const ta = Date.now()
  const brokerCpu0 = cpuSecondsOf(brokerPid)
  const loadJoin = loadavg()
  for (let t = 0; t < windowS; t += 5) {
    await sleep(Math.min(5, windowS - t) * 1000)
    sampleRss()
  }
  const b = await summaries()
  // A saturated town answers /status late: CPU is divided by the window as it really ran.
  const windowRealS = (Date.now() - ta) / 1000
  const brokerCpu1 = cpuSecondsOf(brokerPid)
  const brokerRss = rssOf(brokerPid)
  const load1 = loadavg()
  const stopT0 = Date.now()
  const exits = await Promise.all(
    procs.map((p) => {
      const done =
        p.proc.exitCode !== null || p.proc.signalCode !== null
          ? Promise.resolve(p.proc.exitCode ?? p.proc.signalCode)
          : new Promise<number | string | null>((r) =>
              p.proc.once('exit', (code, signal) => r(code ?? signal)),
            )
      p.proc.kill('SIGTERM')
      return done
    }),
  )
  const stopS = (Date.now() - stopT0) / 1000
  await broker.close()
  if (!a || !b || !settled) return { size, error: 'no status from a town process' }
  const sent = sum(b, (s) => s.newspapersOut) - sum(a, (s) => s.newspapersOut)
  const got = sum(b, (s) => s.newspapersIn) - sum(a, (s) => s.newspapersIn)
  const merge = (f: (s: TownSummary) => Record<string, number> | undefined) => {
    const out: Record<string, number> = {}
    for (const s of b) for (const [k, v] of Object.entries(f(s) ?? {})) out[k] = (out[k] ?? 0) + v
    return out
  }
  return {
    size,
    processes: procs.length,
    joinGapMs: gapMs,
    howdyObservationsMax: observationsMax,
    allOnlineAfterS: allOnlineS ?? `not within ${settleLimitS} s after the ramp`,
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
    heyTheresUntilSettled: sum(settled, (s) => s.heyTheresOut),
    newspapersInWindow: sent,
    newspapersDeliveredVerifiedShare:
      sent > 0 ? Number((got / (sent * (size - 1))).toFixed(4)) : null,
    rssMB: mb(sum(b, (s) => s.rssBytes)),
    peakRssMB: mb(peakRss),
    cpuCoresJoin: Number((sum(a, cpuMs) / 1000 / joinS).toFixed(2)),
    windowRealS,
    cpuCoresWindow: Number(((sum(b, cpuMs) - sum(a, cpuMs)) / 1000 / windowRealS).toFixed(2)),
    mosquitto: {
      rssMB: mb(brokerRss),
      peakRssMB: mb(peakBrokerRss),
      cpuCoresWindow: Number(((brokerCpu1 - brokerCpu0) / windowRealS).toFixed(2)),
    },
    signatureChecksPerMessage: checksPerMessage(b),
    drops: merge((s) => s.drops),
    dropDetails: merge((s) => s.dropDetails),
    stopS,
    exitCodes: exits,
    loadAvg1m: {
      start: Number(load0[0]?.toFixed(2)),
      joined: Number(loadJoin[0]?.toFixed(2)),
      end: Number(load1[0]?.toFixed(2)),
    },
    wallS: Math.round((Date.now() - t0) / 1000),
  }
}

/** The receivers' signature checks per message received (1 = each message verified once). */
function checksPerMessage(summaries: TownSummary[]): number | null {
  let checks = 0
  let received = 0
  for (const s of summaries) {
    checks += s.receiver?.counters.verifications ?? 0
    for (const v of Object.values(s.receiver?.counters.received ?? {})) received += v
  }
  return received > 0 ? Number((checks / received).toFixed(3)) : null
}

const benchT0 = Date.now()
process.stdout.write(
  `${JSON.stringify({ cores: cpus().length, windowS, processCount, observationsMax, node: process.version })}\n`,
)
for (const size of sizes) {
  const r = await run(size)
  process.stdout.write(`${JSON.stringify(r)}\n`)
}
process.stdout.write(
  `${JSON.stringify({ benchWallS: Math.round((Date.now() - benchT0) / 1000) })}\n`,
)

/**
 * One data directory per town process, each nara's identity written ahead, all names distinct:
 * quirky names come from 3.4 million combinations, so 1,000 souls drawn independently share a
 * name about once in seven runs, and two naras with one name are a key conflict, not a town.
 */
function seedUniqueIdentities(shares: readonly number[]): string[] {
  const names = new Set<string>()
  return shares.map((share) => {
    const dir = mkdtempSync(join(tmpdir(), 'nara-bench-'))
    for (let j = 1; j <= share; j++) {
      let fresh = generateSoul()
      while (names.has(fresh.name)) fresh = generateSoul()
      names.add(fresh.name)
      const naraDir = join(dir, 'town', `nara-${j}`)
      mkdirSync(naraDir, { recursive: true, mode: 0o700 })
      const identity = { soul: encodeSoul(fresh.soul), name: fresh.name }
      writeFileSync(join(naraDir, 'identity.json'), JSON.stringify(identity), { mode: 0o600 })
    }
    return dir
  })
}
