#!/usr/bin/env node
// `pnpm test`: check the system tools the integration tests need, run every package's tests
// through turbo (dependencies are built first), then print one total across all packages.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const workspaces = ['packages', 'apps', 'tooling'].flatMap((group) => {
  const dir = join(root, group)
  return existsSync(dir) ? readdirSync(dir).map((name) => join(dir, name)) : []
})
for (const ws of workspaces) rmSync(join(ws, '.vitest-report.json'), { force: true })

const deps = spawnSync(process.execPath, [join(root, 'scripts/check-system-deps.mjs')], {
  stdio: 'inherit',
})
if (deps.status !== 0) process.exit(deps.status ?? 1)

const extra = process.argv.slice(2)
const turbo = spawnSync(
  join(root, 'node_modules/.bin/turbo'),
  ['run', 'test', '--concurrency=1', '--continue', ...extra],
  { stdio: 'inherit', cwd: root },
)

let passed = 0
let failed = 0
let skipped = 0
const perPackage = []
const failures = []
for (const ws of workspaces) {
  const file = join(ws, '.vitest-report.json')
  if (!existsSync(file)) continue
  const report = JSON.parse(readFileSync(file, 'utf8'))
  passed += report.numPassedTests ?? 0
  failed += report.numFailedTests ?? 0
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0)
  for (const result of report.testResults ?? []) {
    // A file that failed outside its tests (a hook, an import) has no failed test to name.
    if (result.status === 'failed' && !result.assertionResults?.some((t) => t.status === 'failed'))
      failures.push(
        `${result.name.slice(root.length)}\n    ${String(result.message).split('\n')[0]}`,
      )
    for (const test of result.assertionResults ?? []) {
      if (test.status !== 'failed') continue
      const first = String(test.failureMessages?.[0] ?? '')
        .split('\n')
        .slice(0, 6)
        .join('\n    ')
      failures.push(`${result.name.slice(root.length)} > ${test.fullName}\n    ${first}`)
    }
  }
  perPackage.push(
    `${ws.slice(root.length)}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`,
  )
}
// The failures again at the very end, so a log that keeps only its tail still names them.
if (failures.length > 0) console.log(`\nfailed:\n${failures.map((f) => `  ${f}`).join('\n')}`)
console.log(`\n${perPackage.join('\n')}`)
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`)
process.exit(turbo.status === 0 && failed === 0 ? 0 : 1)
