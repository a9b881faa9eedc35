/**
 * `pnpm fuzz`: a long seeded campaign (default 1,000,000 inputs). Knobs: `FUZZ_SEED` (default: a
 * fresh one, printed), `FUZZ_COUNT`, `FUZZ_FROM` (first input index, to re-run one input:
 * `FUZZ_SEED=s FUZZ_FROM=i FUZZ_COUNT=1`). Prints the counts and the throughput; exits 1 when
 * anything was found.
 */
import { formatReport } from './report.js'
import { runFuzz } from './run-fuzz.js'

const int = (name: string, fallback: number): number => {
  const raw = process.env[name]
  if (raw === undefined || raw === '') return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < 0) {
    console.error(`${name} must be a non-negative integer, got ${JSON.stringify(raw)}`)
    process.exit(2)
  }
  return n
}

const seed = int('FUZZ_SEED', Math.floor(Math.random() * 2 ** 31))
const count = int('FUZZ_COUNT', 1_000_000)
const from = int('FUZZ_FROM', 0)
console.log(`fuzz: seed ${seed}, inputs ${from}..${from + count - 1}`)
let lastPrint = 0
const report = await runFuzz({
  seed,
  count,
  from,
  chunk: 5000,
  onProgress: (done) => {
    if (performance.now() - lastPrint < 10_000 && done < count) return
    lastPrint = performance.now()
    console.log(`  ${done.toLocaleString('en-US')} / ${count.toLocaleString('en-US')}`)
  },
})
console.log(formatReport(report))
process.exit(report.escapes + report.hangs + report.acceptedChanges === 0 ? 0 : 1)
