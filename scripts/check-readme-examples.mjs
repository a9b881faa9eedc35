#!/usr/bin/env node
// README examples check (part of `pnpm check`, after the build): every ```ts (or ```typescript)
// block of every README is type-checked, as its own ES module, against the built workspace
// packages. A package README's blocks are checked from inside that package (its dependencies
// and its own name resolve as a user's would, and every library under packages/ is linked in, as
// a reader would install the one an example also imports); other READMEs' blocks from apps/cli.
// Errors are reported at their README line.
//
// A block that is a fragment on purpose opts out with this line right above its fence:
//   <!-- readme-check: fragment (why it cannot compile on its own) -->
// Opted-out blocks are listed on every run, so none is skipped silently.
import { spawnSync } from 'node:child_process'
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs'
import { dirname, join, relative } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const WORK_DIR = '.readme-examples'
const OPT_OUT = /^<!--\s*readme-check:\s*fragment\b.*-->\s*$/
const FENCE_TS = /^```(ts|typescript)\b/
const DEFAULT_HOST = 'apps/cli'

/** README.md files of the root, docs/ and every workspace package. */
function readmes() {
  const found = ['README.md', 'docs/README.md'].filter((f) => existsSync(join(root, f)))
  for (const group of ['packages', 'apps', 'tooling']) {
    const dir = join(root, group)
    if (!existsSync(dir)) continue
    for (const name of readdirSync(dir)) {
      const file = `${group}/${name}/README.md`
      if (existsSync(join(root, file))) found.push(file)
    }
  }
  return found
}

/** The ```ts blocks of one README: { line (README line of the first code line), code, optOut }. */
function tsBlocks(text) {
  const lines = text.split('\n')
  const blocks = []
  for (let i = 0; i < lines.length; i++) {
    if (!FENCE_TS.test(lines[i])) continue
    const optOut = i > 0 && OPT_OUT.test(lines[i - 1].trim())
    const start = i + 1
    let end = start
    while (end < lines.length && !lines[end].startsWith('```')) end++
    blocks.push({ line: start + 1, code: lines.slice(start, end).join('\n'), optOut })
    i = end
  }
  return blocks
}

/** The workspace directory a README's examples are checked from. */
function hostOf(readme) {
  const dir = readme.split('/').slice(0, 2).join('/')
  return /^(packages|apps)\//.test(readme) && existsSync(join(root, dir, 'package.json'))
    ? dir
    : DEFAULT_HOST
}

/** Every library under packages/ is importable from `dir`, as if the reader installed it too. */
function linkLibraries(dir) {
  for (const name of readdirSync(join(root, 'packages'))) {
    const pkgDir = join(root, 'packages', name)
    if (!existsSync(join(pkgDir, 'package.json'))) continue
    const pkgName = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')).name
    const link = join(dir, 'node_modules', pkgName)
    mkdirSync(dirname(link), { recursive: true })
    symlinkSync(pkgDir, link, 'dir')
  }
}

const byHost = new Map()
const skipped = []
let total = 0
for (const readme of readmes()) {
  tsBlocks(readFileSync(join(root, readme), 'utf8')).forEach((block, index) => {
    if (block.optOut) {
      skipped.push(`${readme}:${block.line - 1}`)
      return
    }
    total++
    const host = hostOf(readme)
    const file = `${readme.replaceAll('/', '_').replace(/\.md$/, '')}_${index + 1}.ts`
    const entries = byHost.get(host) ?? []
    entries.push({ readme, file, line: block.line, code: block.code })
    byHost.set(host, entries)
  })
}

const tsc = join(root, 'node_modules/typescript/bin/tsc')
const failures = []
for (const [host, entries] of byHost) {
  const dir = join(root, host, WORK_DIR)
  rmSync(dir, { recursive: true, force: true })
  mkdirSync(dir, { recursive: true })
  linkLibraries(dir)
  for (const e of entries) {
    const isModule = /^\s*(import|export)\s/m.test(e.code)
    writeFileSync(join(dir, e.file), `${e.code}\n${isModule ? '' : 'export {}\n'}`)
  }
  const tsconfig = {
    extends: relative(dir, join(root, 'tooling/tsconfig/base.json')),
    compilerOptions: { noEmit: true, declaration: false, declarationMap: false, sourceMap: false },
    include: entries.map((e) => e.file),
  }
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2))
  const run = spawnSync(
    process.execPath,
    [tsc, '-p', join(dir, 'tsconfig.json'), '--pretty', 'false'],
    {
      encoding: 'utf8',
    },
  )
  const output = `${run.stdout}${run.stderr}`
  // Map "<file>(line,col): error ..." back to "<README>:<line>:<col>: error ...".
  for (const raw of output.split('\n').filter(Boolean)) {
    const m = /^(?:.*[/\\])?([^/\\(]+\.ts)\((\d+),(\d+)\): (.*)$/.exec(raw)
    const entry = m && entries.find((e) => e.file === m[1])
    failures.push(entry ? `${entry.readme}:${entry.line + Number(m[2]) - 1}:${m[3]}: ${m[4]}` : raw)
  }
  if (run.status !== 0 && output.trim() === '')
    failures.push(`tsc failed in ${host} (status ${run.status})`)
  rmSync(dir, { recursive: true, force: true })
}

if (skipped.length > 0) {
  console.log(`[check-readme-examples] not checked (marked fragments): ${skipped.join(', ')}`)
}
if (failures.length > 0) {
  console.error(
    `[check-readme-examples] README examples that do not compile:\n  ${failures.join('\n  ')}`,
  )
  process.exit(1)
}
console.log(`[check-readme-examples] ${total} TypeScript README blocks compile`)
