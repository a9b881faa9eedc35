#!/usr/bin/env node
// Packaging check (part of `pnpm check`, after the build): every package and app under
// packages/ and apps/ carries the root LICENSE (same text, as its `license` field says), a
// `repository` pointing at its own directory, and only `files`, `main`, `types`, `exports` and
// `bin` entries that exist once built. Prints every problem, exits 1 if there is any.
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const license = readFileSync(join(root, 'LICENSE'), 'utf8')
const problems = []

/** Every file path named by an `exports` map (nested conditions included). */
const exportTargets = (value) =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(exportTargets)
      : []

for (const group of ['packages', 'apps']) {
  for (const name of readdirSync(join(root, group))) {
    const rel = `${group}/${name}`
    const dir = join(root, rel)
    if (!existsSync(join(dir, 'package.json'))) continue
    const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
    const fail = (what) => problems.push(`${rel} (${pkg.name}): ${what}`)

    if (pkg.license !== 'MIT')
      fail(`"license" is ${JSON.stringify(pkg.license)}, the root LICENSE is MIT`)
    const copy = join(dir, 'LICENSE')
    if (!existsSync(copy)) fail('no LICENSE (copy the root LICENSE)')
    else if (readFileSync(copy, 'utf8') !== license) fail('LICENSE differs from the root LICENSE')
    if (pkg.repository?.directory !== rel || !pkg.repository?.url)
      fail(`"repository" must have a url and "directory": "${rel}"`)
    if (!Array.isArray(pkg.files)) fail('no "files" list')

    const named = [
      ...(pkg.files ?? []).map((f) => ['files', f]),
      ...(pkg.main ? [['main', pkg.main]] : []),
      ...(pkg.types ? [['types', pkg.types]] : []),
      ...exportTargets(pkg.exports).map((f) => ['exports', f]),
      ...Object.values(typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {})).map(
        (f) => ['bin', f],
      ),
    ]
    for (const [field, file] of named) {
      if (!existsSync(join(dir, file)))
        fail(`"${field}" names ${file}, which does not exist (built?)`)
    }
    if (pkg.private !== true && !pkg.exports) fail('a published package needs an "exports" map')
    if (pkg.private === true && (pkg.main || pkg.exports)) fail('an app has "bin" entries only')
  }
}

if (problems.length > 0) {
  console.error(`[check-packaging] ${problems.length} problem(s):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log('[check-packaging] LICENSE, repository, files, main/types/exports/bin: all present')
