#!/usr/bin/env node
// Changesets check (part of `pnpm check`). `changeset status` alone only fails when a package
// changed and there is no changeset at all, and on main itself it compares main with main. So:
//  1. `changeset status` (its own checks: changesets parse, name real packages, bump types),
//     against `main`, or `origin/main` in a checkout without a local main.
//  2. Since the last release: every package under packages/ or apps/ whose files changed since
//     the commit that last wrote its CHANGELOG.md (`changeset version`) is named by a pending
//     changeset. Uncommitted and untracked files count, so it can run before a commit.
//  3. On a branch: every package the branch changes (since it left main) is named by a
//     changeset the branch adds (unless the branch versions it). On main the branch is empty.
// Prints every package that lacks a changeset and exits 1.
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname

function git(...args) {
  const run = spawnSync('git', args, { cwd: root, encoding: 'utf8' })
  return { ok: run.status === 0, out: run.stdout.trim(), err: run.stderr.trim() }
}
const lines = (text) => text.split('\n').filter(Boolean)

if (!git('rev-parse', '--git-dir').ok) {
  console.error('[check-changesets] not a git checkout: changesets are checked against history')
  process.exit(1)
}

// 1. changeset status
const base = ['main', 'origin/main'].find((ref) => git('rev-parse', '--verify', '-q', ref).ok)
if (!base) {
  console.error('[check-changesets] no `main` or `origin/main` to compare with: fetch main first')
  process.exit(1)
}
// Without --since it reads every pending changeset (untracked ones too) and compares with
// config.baseBranch (main); --since=origin/main only where there is no local main.
const statusArgs = base === 'main' ? ['status'] : ['status', `--since=${base}`]
const status = spawnSync(join(root, 'node_modules/.bin/changeset'), statusArgs, {
  cwd: root,
  encoding: 'utf8',
})
if (status.status !== 0) {
  console.error(`[check-changesets] changeset status failed:\n${status.stdout}${status.stderr}`)
  process.exit(1)
}

/** Package names named in the frontmatter of the given .changeset/*.md files. */
function namedIn(files) {
  const names = new Set()
  for (const file of files) {
    const text = readFileSync(join(root, file), 'utf8')
    const front = /^---\n([\s\S]*?)\n---/.exec(text)?.[1] ?? ''
    for (const m of front.matchAll(/^\s*["']?(@?[^"':\s]+)["']?\s*:/gm)) names.add(m[1])
  }
  return names
}
const changesetFiles = readdirSync(join(root, '.changeset'))
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => `.changeset/${f}`)

/** Files under `dir` that differ from `ref` (committed, staged, unstaged or untracked). */
function changedSince(ref, dir) {
  const diff = git('diff', '--name-only', ref, '--', dir)
  const untracked = git('ls-files', '--others', '--exclude-standard', '--', dir)
  return [...lines(diff.out), ...lines(untracked.out)].filter((f) => !f.endsWith('/CHANGELOG.md'))
}

const packages = ['packages', 'apps'].flatMap((group) =>
  readdirSync(join(root, group))
    .map((name) => `${group}/${name}`)
    .filter((dir) => existsSync(join(root, dir, 'package.json')))
    .map((dir) => ({ dir, name: JSON.parse(readFileSync(join(root, dir, 'package.json'))).name })),
)
const problems = []
const shallow = git('rev-parse', '--is-shallow-repository').out === 'true'

// 2. since the last release of each package
const pending = namedIn(changesetFiles)
if (shallow)
  console.log('[check-changesets] shallow clone: the since-last-release check needs history')
for (const { dir, name } of shallow ? [] : packages) {
  const released = git('log', '-1', '--format=%H', '--', `${dir}/CHANGELOG.md`).out
  if (!released) {
    // Never versioned yet: a new package, whose first version a pending changeset announces.
    if (!pending.has(name)) problems.push(`${name}: a new package with no changeset naming it`)
    continue
  }
  const changed = changedSince(released, dir)
  if (changed.length > 0 && !pending.has(name)) {
    problems.push(
      `${name}: changed since its last version (${released.slice(0, 7)}), no changeset: ${changed.slice(0, 3).join(', ')}${changed.length > 3 ? ', ...' : ''}`,
    )
  }
}

// 3. what this branch changes, against the changesets this branch adds
const forkPoint = git('merge-base', base, 'HEAD').out
if (forkPoint) {
  const added = [
    ...lines(git('diff', '--name-only', '--diff-filter=A', forkPoint, '--', '.changeset').out),
    ...lines(git('ls-files', '--others', '--exclude-standard', '--', '.changeset').out),
  ].filter((f) => f.endsWith('.md') && existsSync(join(root, f)))
  const ours = namedIn(added)
  for (const { dir, name } of packages) {
    const released = git('diff', '--name-only', forkPoint, '--', `${dir}/CHANGELOG.md`).out
    if (released) continue // the branch versions this package (`changeset version`)
    const changed = changedSince(forkPoint, dir)
    if (changed.length > 0 && !ours.has(name)) {
      problems.push(
        `${name}: changed on this branch (since ${base} at ${forkPoint.slice(0, 7)}) without a changeset of its own: ${changed.slice(0, 3).join(', ')}`,
      )
    }
  }
}

if (problems.length > 0) {
  console.error(
    `[check-changesets] packages changed without a changeset (add .changeset/<name>.md):\n  ${problems.join('\n  ')}`,
  )
  process.exit(1)
}
console.log(`[check-changesets] every changed package has a changeset (${pending.size} pending)`)
