#!/usr/bin/env node
// Integration tests start real brokers: mosquitto (and mosquitto_passwd) and a nats-server
// cluster as child processes, and openssl to mint a throwaway CA; the web page's tests drive
// Debian's headless chromium, and the town's terminal test runs it in tmux at 80x24. They must never be skipped silently, so this check runs before the
// test suite. As root on Debian it installs what is missing; otherwise it stops with a message
// that names the missing tools and the command that installs them.
import { spawnSync } from 'node:child_process'

const needed = [
  { bin: 'mosquitto', pkg: 'mosquitto', probe: ['-h'] },
  { bin: 'mosquitto_passwd', pkg: 'mosquitto', probe: ['-h'] },
  { bin: 'nats-server', pkg: 'nats-server', probe: ['--version'] },
  { bin: 'openssl', pkg: 'openssl', probe: ['version'] },
  { bin: 'chromium', pkg: 'chromium', probe: ['--version'] },
  { bin: 'tmux', pkg: 'tmux', probe: ['-V'] },
]
const which = (bin) =>
  spawnSync('sh', ['-c', `command -v ${bin} || ls /usr/sbin/${bin} 2>/dev/null`]).status === 0
let missing = needed.filter((n) => !which(n.bin))
if (missing.length > 0 && process.getuid?.() === 0 && which('apt-get')) {
  const pkgs = [...new Set(missing.map((m) => m.pkg))]
  console.error(`[check-system-deps] installing ${pkgs.join(' ')} with apt-get`)
  spawnSync('apt-get', ['update', '-qq'], { stdio: 'inherit' })
  spawnSync('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...pkgs], {
    stdio: 'inherit',
    env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
  })
  missing = needed.filter((n) => !which(n.bin))
}
if (missing.length > 0) {
  const pkgs = [...new Set(missing.map((m) => m.pkg))].join(' ')
  console.error(
    `[check-system-deps] missing: ${missing.map((m) => m.bin).join(', ')}.\n` +
      `The integration tests run real mosquitto and NATS brokers (and a terminal in tmux) and need these tools.\n` +
      `Install them (Debian/Ubuntu): sudo apt-get install -y ${pkgs}`,
  )
  process.exit(1)
}
