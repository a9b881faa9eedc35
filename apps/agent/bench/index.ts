/**
 * Scale benchmark: towns of 100, 300 and 1,000 naras (one town process each) against a local
 * mosquitto at chattiness 100. For each size it prints RSS and CPU of the town process, the share
 * of newspapers delivered and verified, the howdy burst at join, and the time until every nara
 * sees every other ONLINE. Sizes: BENCH_SIZES=100,300,1000; window: BENCH_WINDOW_S (default 90).
 */
import { spawn } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { freePort, startMosquitto } from '@nara/vitest-config/brokers'

const MAIN = fileURLToPath(new URL('../dist/main.js', import.meta.url))
const sizes = (process.env.BENCH_SIZES ?? '100,300,1000').split(',').map(Number)
const windowS = Number(process.env.BENCH_WINDOW_S ?? 90)
const settleLimitS = Number(process.env.BENCH_SETTLE_LIMIT_S ?? 180)

// biome-ignore lint/suspicious/noExplicitAny: JSON from /status
type Doc = any
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

async function run(size: number) {
  const broker = await startMosquitto()
  const port = await freePort()
  const proc = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      MQTT_HOST: broker.url,
      NARA_MODE: 'town',
      NARA_TOWN_SIZE: String(size),
      NARA_CHATTINESS: '100',
      NARA_DATA_DIR: mkdtempSync(join(tmpdir(), 'nara-bench-')),
      NARA_HTTP_PORT: String(port),
      NARA_LOG_LEVEL: 'warn',
      NARA_LOG_PRETTY: 'false',
    },
    stdio: ['ignore', 'ignore', 'inherit'],
  })
  const status = async (): Promise<Doc | undefined> => {
    try {
      return ((await (await fetch(`http://127.0.0.1:${port}/status`)).json()) as Doc).town
    } catch {
      return undefined
    }
  }
  const t0 = Date.now()
  let allOnlineS: number | undefined
  let joinHowdys = 0
  for (;;) {
    const s = await status()
    if (s?.rows?.length === size) {
      if (Date.now() - t0 < 15_000) joinHowdys = s.howdysOut
      if (s.rows.every((r: Doc) => r.seenOnlineBy === r.others)) {
        allOnlineS = (Date.now() - t0) / 1000
        joinHowdys = s.howdysOut
        break
      }
    }
    if (Date.now() - t0 > settleLimitS * 1000) break
    await sleep(500)
  }
  const a = await status()
  await sleep(windowS * 1000)
  const b = await status()
  proc.kill('SIGTERM')
  await new Promise((r) => proc.once('exit', r))
  await broker.close()
  if (!a || !b) return { size, error: 'no status' }
  const sent = b.newspapersOut - a.newspapersOut
  const got = b.newspapersIn - a.newspapersIn
  const cpuS = (b.cpuUserMs + b.cpuSystemMs - a.cpuUserMs - a.cpuSystemMs) / 1000
  return {
    size,
    allOnlineAfterS: allOnlineS ?? `not within ${settleLimitS} s`,
    howdyBurstAtJoin: joinHowdys,
    newspapersSent: sent,
    newspapersDeliveredVerifiedShare:
      sent > 0 ? Number((got / (sent * (size - 1))).toFixed(4)) : null,
    rssMB: Math.round(b.rssBytes / 1024 / 1024),
    cpuCoresUsed: Number((cpuS / windowS).toFixed(2)),
  }
}

for (const size of sizes) {
  const r = await run(size)
  process.stdout.write(`${JSON.stringify(r)}\n`)
}
