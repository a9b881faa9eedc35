#!/usr/bin/env node
// Packaging check (part of `pnpm check`, after the build): every package and app under
// packages/ and apps/ carries the root LICENSE (same text, as its `license` field says), a
// `repository` pointing at its own directory, and only `files`, `main`, `types`, `exports` and
// `bin` entries that exist once built (a `CHANGELOG.md` in `files` must exist, an app's
// `main`/`exports` must not point at a `dist/index.js` it never builds: apps give `bin` entries
// only), and each `bin` is a script with a `#!` line (an installed bin without one does not run).
// Before the real packages it checks itself: a fixture tree with each of these mistakes must
// give each problem, or the check is broken. Prints every problem, exits 1 if there is any.
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

/** Every file path named by an `exports` map (nested conditions included). */
const exportTargets = (value) =>
  typeof value === 'string'
    ? [value]
    : value && typeof value === 'object'
      ? Object.values(value).flatMap(exportTargets)
      : []

/** The problems of one package directory `rel` under `root`. */
function packageProblems(root, rel, license) {
  const dir = join(root, rel)
  const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
  const problems = []
  const fail = (what) => problems.push(`${rel} (${pkg.name}): ${what}`)

  if (pkg.license !== 'MIT')
    fail(`"license" is ${JSON.stringify(pkg.license)}, the root LICENSE is MIT`)
  const copy = join(dir, 'LICENSE')
  if (!existsSync(copy)) fail('no LICENSE (copy the root LICENSE)')
  else if (readFileSync(copy, 'utf8') !== license) fail('LICENSE differs from the root LICENSE')
  if (pkg.repository?.directory !== rel || !pkg.repository?.url)
    fail(`"repository" must have a url and "directory": "${rel}"`)
  if (!Array.isArray(pkg.files)) fail('no "files" list')

  const bins = Object.values(
    typeof pkg.bin === 'string' ? { [pkg.name]: pkg.bin } : (pkg.bin ?? {}),
  )
  const named = [
    ...(pkg.files ?? []).map((f) => ['files', f]),
    ...(pkg.main ? [['main', pkg.main]] : []),
    ...(pkg.types ? [['types', pkg.types]] : []),
    ...exportTargets(pkg.exports).map((f) => ['exports', f]),
    ...bins.map((f) => ['bin', f]),
  ]
  for (const [field, file] of named) {
    if (!existsSync(join(dir, file)))
      fail(`"${field}" names ${file}, which does not exist (built?)`)
  }
  for (const bin of bins) {
    const path = join(dir, bin)
    if (existsSync(path) && !readFileSync(path, 'utf8').startsWith('#!'))
      fail(`"bin" ${bin} has no #! line (installed, it would not run)`)
  }
  if (pkg.private !== true && !pkg.exports) fail('a published package needs an "exports" map')
  if (pkg.private === true && (pkg.main || pkg.exports)) fail('an app has "bin" entries only')
  return problems
}

/** The problems of every package under `root`'s packages/ and apps/. */
function packagingProblems(root) {
  const license = readFileSync(join(root, 'LICENSE'), 'utf8')
  const problems = []
  for (const group of ['packages', 'apps']) {
    if (!existsSync(join(root, group))) continue
    for (const name of readdirSync(join(root, group))) {
      const rel = `${group}/${name}`
      if (existsSync(join(root, rel, 'package.json')))
        problems.push(...packageProblems(root, rel, license))
    }
  }
  return problems
}

/** A fixture tree with one mistake of each kind; returns what the check missed. */
function selfTest() {
  const root = mkdtempSync(join(tmpdir(), 'check-packaging-'))
  const write = (rel, text) => {
    mkdirSync(join(root, rel, '..'), { recursive: true })
    writeFileSync(join(root, rel), text)
  }
  const repo = (rel) => ({ type: 'git', url: 'git+https://example.invalid/x.git', directory: rel })
  try {
    write('LICENSE', 'MIT License\n')
    write('packages/good/LICENSE', 'MIT License\n')
    write('packages/good/dist/index.js', '')
    write(
      'packages/good/package.json',
      JSON.stringify({
        name: 'good',
        license: 'MIT',
        repository: repo('packages/good'),
        files: ['dist', 'LICENSE'],
        exports: { '.': './dist/index.js' },
      }),
    )
    write('packages/bad/LICENSE', 'Apache License\n')
    write(
      'packages/bad/package.json',
      JSON.stringify({ name: 'bad', license: 'ISC', files: ['dist', 'CHANGELOG.md'] }),
    )
    write('apps/app/dist/main.js', 'console.log(1)\n')
    write(
      'apps/app/package.json',
      JSON.stringify({
        name: 'app',
        private: true,
        license: 'MIT',
        repository: repo('apps/app'),
        files: ['dist'],
        main: './dist/index.js',
        bin: { app: './dist/main.js' },
      }),
    )
    const found = packagingProblems(root).join('\n')
    const expected = [
      'packages/bad (bad): "license" is "ISC"',
      'packages/bad (bad): LICENSE differs',
      'packages/bad (bad): "repository" must have',
      'packages/bad (bad): "files" names CHANGELOG.md, which does not exist',
      'packages/bad (bad): a published package needs an "exports" map',
      'apps/app (app): no LICENSE',
      'apps/app (app): "main" names ./dist/index.js, which does not exist',
      'apps/app (app): "bin" ./dist/main.js has no #! line',
      'apps/app (app): an app has "bin" entries only',
    ]
    const missed = expected.filter((e) => !found.includes(e))
    if (found.includes('packages/good')) missed.push(`a good package was blamed:\n${found}`)
    return missed
  } finally {
    rmSync(root, { recursive: true, force: true })
  }
}

const missed = selfTest()
if (missed.length > 0) {
  console.error(`[check-packaging] the check itself is broken; missed:\n  ${missed.join('\n  ')}`)
  process.exit(1)
}
const problems = packagingProblems(new URL('..', import.meta.url).pathname)
if (problems.length > 0) {
  console.error(`[check-packaging] ${problems.length} problem(s):\n  ${problems.join('\n  ')}`)
  process.exit(1)
}
console.log(
  '[check-packaging] LICENSE, repository, files, main/types/exports/bin (with #!): all present; the check caught each of 9 planted mistakes',
)
