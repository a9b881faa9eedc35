/**
 * End-to-end latency, publish -> verified event, at a fixed rate. Each row runs in a fresh child
 * process (`fork` of this file), as a nara runs: the parent's heap (the throughput rows' payloads,
 * their pipelines' memories) would otherwise put its old-generation collections into the window.
 * An untimed second at the same rate comes first, so the row measures warm code, as in a nara
 * that has been running, not the first compile of every step.
 */
import { fork } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { TOPICS } from '@nara/protocol'
import { makeEvents } from './payloads.js'
import { benchPlaza } from './pipeline-rates.js'
import { publishFromWorker } from './raw-rates.js'

/** One latency row: percentiles in ms, and how many of the timed messages arrived. */
export interface Latency {
  readonly p50: number
  readonly p99: number
  readonly received: number
  readonly total: number
}

/** Publishes `seconds` × `ratePerSec` SyncEvents paced from a worker and times each one. */
async function measure(
  url: string,
  ratePerSec: number,
  seconds: number,
  verifyWorkers: number,
): Promise<Latency> {
  const plaza = await benchPlaza(url, verifyWorkers)
  const warmUp = makeEvents(ratePerSec, `latw${verifyWorkers}`)
  const total = ratePerSec * seconds
  const payloads = makeEvents(total, `lat${verifyWorkers}`)
  const receivedAt = new Float64Array(total)
  let received = 0
  let warm = 0
  plaza.on('social', (ev) => {
    const [tag, index] = (ev.message.social.reason ?? '').split('-')
    if (tag === `latw${verifyWorkers}`) warm++
    else {
      receivedAt[Number(index)] = performance.timeOrigin + performance.now()
      received++
    }
  })
  await publishFromWorker(url, TOPICS.social, warmUp, ratePerSec)
  for (let waited = 0; warm < warmUp.length && waited < 100; waited++)
    await new Promise((r) => setTimeout(r, 20))
  const sentAt = await publishFromWorker(url, TOPICS.social, payloads, ratePerSec)
  for (let waited = 0; received < total && waited < 100; waited++)
    await new Promise((r) => setTimeout(r, 20))
  await plaza.stop()
  const latencies: number[] = []
  for (let i = 0; i < total; i++)
    if ((receivedAt[i] as number) > 0)
      latencies.push((receivedAt[i] as number) - (sentAt[i] as number))
  latencies.sort((a, b) => a - b)
  const pct = (p: number) =>
    latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ??
    Number.NaN
  return { p50: pct(50), p99: pct(99), received, total }
}

/** The latency row measured in a fresh child process (see the header). */
export function latencyAt(
  url: string,
  ratePerSec: number,
  seconds: number,
  verifyWorkers: number,
): Promise<Latency> {
  const child = fork(
    fileURLToPath(import.meta.url),
    [url, String(ratePerSec), String(seconds), String(verifyWorkers)],
    { execArgv: process.execArgv },
  )
  return new Promise((resolve, reject) => {
    child.once('message', (m) => resolve(m as Latency))
    child.once('error', reject)
    child.once('exit', (code) => reject(new Error(`latency child exited with ${code}`)))
  })
}

if (process.send !== undefined && process.argv[1] === fileURLToPath(import.meta.url)) {
  const [url, rate, seconds, workers] = process.argv.slice(2)
  measure(url as string, Number(rate), Number(seconds), Number(workers)).then(
    (result) => process.send?.(result, undefined, {}, () => process.exit(0)),
    (err) => {
      process.stderr.write(`latency child failed: ${String(err)}\n`)
      process.exit(1)
    },
  )
}
