/**
 * Profiling helper: feeds N signed SyncEvents (or, with `papers`, N/2 newspapers) straight into
 * `createInboundPipeline` in a tight loop and prints the cost per message. `noverify` swaps in an
 * always-true verify to isolate the pipeline's own overhead; `pool` verifies in the worker pool.
 * Profile with
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-direct.ts 60000 noverify`.
 */
import { newspaperTopic, TOPICS } from '@nara/protocol'
import { Counters } from '../src/counters.js'
import { createInboundPipeline } from '../src/inbound-pipeline.js'
import { createKeyring, silentLogger, systemClock } from '../src/index.js'
import { createVerifyPool } from '../src/verify-pool.js'
import { alice, backend, makeEvents, makePapers } from './payloads.js'

const papers = process.argv[4] === 'papers'
const N = Number(process.argv[2] ?? 20000) / (papers ? 2 : 1)
const skipVerify = process.argv[3] === 'noverify'
const pool =
  process.argv[3] === 'pool' ? createVerifyPool({ workers: 1, inlineBackend: backend }) : undefined
await pool?.start()
const payloads = papers ? makePapers(N) : makeEvents(N, 'p')
const topic = papers ? newspaperTopic('alice') : TOPICS.social
const counters = new Counters()
const dropped = () => Object.values(counters.snapshot().dropped).reduce((a, b) => a + b, 0)
const keyring = createKeyring()
keyring.pin({ name: 'alice', publicKey: alice.publicKey })
let accepted = 0
const pipeline = createInboundPipeline({
  me: 'bob',
  keyring,
  clock: systemClock,
  counters,
  logger: silentLogger,
  maxPayloadBytes: 65536,
  rateLimit: false,
  freshnessWindowMs: 3_600_000,
  dedupeSize: 4 * N,
  dedupeSizePerSender: 4 * N,
  acceptUnsigned: new Set(),
  pool,
  backend: skipVerify ? { ...backend, verify: () => true } : backend,
  maxPendingVerifications: 10 * N,
  holdInlineChecks: true,
  deliver: () => {
    accepted++
  },
})
const t0 = performance.now()
const cpu0 = process.cpuUsage()
// Slices of 240 (about one 64 KiB socket read), one turn each like socket reads: held inline
// checks run at the end of each.
for (let i = 0; i < N; i += 240) {
  for (let j = i; j < Math.min(N, i + 240); j++) pipeline.handle(topic, payloads[j] as Buffer)
  await new Promise((r) => setImmediate(r))
}
while (accepted + dropped() < N) await new Promise((r) => setImmediate(r))
const dt = performance.now() - t0
const cpu = process.cpuUsage(cpu0)
const cpuUs = (cpu.user + cpu.system) / N
process.stdout.write(
  `${accepted} in ${dt.toFixed(0)} ms: ${((dt * 1000) / N).toFixed(2)} us/msg (CPU ${cpuUs.toFixed(2)} us/msg, all threads), ${Math.round(N / (dt / 1000))}/s, inline ${pool?.verifiedInline ?? N}, dropped ${JSON.stringify(counters.snapshot().dropped)}\n`,
)
await pool?.stop()
