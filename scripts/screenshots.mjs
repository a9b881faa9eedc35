#!/usr/bin/env node
// Regenerates the README's screenshots of the web page (docs/screenshots/overview.png and
// nara.png) by running the browser test, which takes them, with NARA_SCREENSHOTS_DIR set.
// Needs what the tests need (mosquitto, chromium); as root on Debian it also installs an emoji
// font so flairs do not show as boxes.
import { spawnSync } from 'node:child_process'
import { existsSync, mkdirSync } from 'node:fs'
import { join } from 'node:path'

const root = new URL('..', import.meta.url).pathname
const out = join(root, 'docs', 'screenshots')
const run = (cmd, args, opts = {}) => {
  const r = spawnSync(cmd, args, { stdio: 'inherit', cwd: root, ...opts })
  if (r.status !== 0) process.exit(r.status ?? 1)
}

const emoji = '/usr/share/fonts/truetype/noto/NotoColorEmoji.ttf'
if (!existsSync(emoji) && process.getuid?.() === 0) {
  spawnSync(
    'apt-get',
    ['install', '-y', '-qq', '--no-install-recommends', 'fonts-noto-color-emoji'],
    {
      stdio: 'inherit',
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    },
  )
}
run(process.execPath, [join(root, 'scripts/check-system-deps.mjs')])
run('npx', ['-y', 'pnpm@10.34.9', 'turbo', 'run', 'build', '--filter=@nara/agent...'])
mkdirSync(out, { recursive: true })
run(join(root, 'apps/agent/node_modules/.bin/vitest'), ['run', 'test/browser/web-page.test.ts'], {
  cwd: join(root, 'apps/agent'),
  env: { ...process.env, NARA_SCREENSHOTS_DIR: out },
})
console.log(`screenshots written to ${out}`)
