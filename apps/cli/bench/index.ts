/**
 * `pnpm bench`: throughput of `nara verify --batch` on a real capture. Builds a capture of every
 * message vector of the shared file, then pipes it (repeated) through the built binary as a real
 * process and reports messages per second, median of several rounds. Needs `dist/` (turbo builds
 * it first).
 *
 * Options (argv): `--repeat=<n>` copies of the 151 vectors per round (default 40), `--rounds=<n>`
 * (default 5).
 */
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { allMessageVectors, keyringOf } from '../test/helpers/vectors.js'

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.split('=')[1]) : fallback
}
const repeat = arg('repeat', 40)
const rounds = arg('rounds', 5)

const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(cliRoot, 'dist', 'main.js')

const lines = allMessageVectors().map((v) =>
  JSON.stringify({ topic: v.topic, payload_b64: v.payloadBase64 }),
)
const keyring = keyringOf()
const capture = `${Array.from({ length: repeat }, () => lines.join('\n')).join('\n')}\n`
const messages = lines.length * repeat

const dir = mkdtempSync(path.join(tmpdir(), 'nara-cli-bench-'))
const keyringPath = path.join(dir, 'keyring.json')
writeFileSync(keyringPath, JSON.stringify(keyring))

const rates: number[] = []
for (let round = 0; round < rounds; round++) {
  const started = process.hrtime.bigint()
  const r = spawnSync(process.execPath, [bin, 'verify', '--batch', '--keyring', keyringPath], {
    input: capture,
    maxBuffer: 64 * 1024 * 1024,
  })
  const elapsedS = Number(process.hrtime.bigint() - started) / 1e9
  const verdicts = r.stdout.toString().trim().split('\n')
  if (verdicts.length !== messages) {
    throw new Error(`expected ${messages} verdict lines, got ${verdicts.length}: ${r.stderr}`)
  }
  const broken = verdicts.find((l) => l.includes('internal-error'))
  if (broken) throw new Error(`verification failed: ${broken}`)
  rates.push(messages / elapsedS)
}
rmSync(dir, { recursive: true, force: true })
rates.sort((a, b) => a - b)
const median = rates[Math.floor(rates.length / 2)]!
console.log(
  `nara verify --batch: ${messages} messages per round, median ${Math.round(median)} msg/s over ${rounds} rounds (process start included)`,
)
