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
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import path from 'node:path'
import { fileURLToPath } from 'node:url'

const arg = (name: string, fallback: number) => {
  const found = process.argv.find((a) => a.startsWith(`--${name}=`))
  return found ? Number(found.split('=')[1]) : fallback
}
const repeat = arg('repeat', 40)
const rounds = arg('rounds', 5)

const cliRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const bin = path.join(cliRoot, 'dist', 'main.js')
const vectorsFile = path.resolve(
  cliRoot,
  '..',
  '..',
  '..',
  'shared',
  'vectors',
  'plaza-vectors.json',
)
// biome-ignore lint/suspicious/noExplicitAny: the vector file is read as-is
const file = JSON.parse(readFileSync(vectorsFile, 'utf8')) as Record<string, any>

const lines: string[] = []
const keyring: Record<string, string> = {}
for (const id of file.identity.identities) {
  keyring[id.name] = id.public_key_base64
  keyring[id.nara_id] = id.public_key_base64
}
for (const [kind, section] of Object.entries(file)) {
  if (kind === 'meta' || kind === 'identity') continue
  for (const v of section.vectors) {
    lines.push(JSON.stringify({ topic: v.transport?.topic ?? null, payload_b64: v.payload_base64 }))
  }
}
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
