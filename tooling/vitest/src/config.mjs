// Plain JavaScript on purpose: vitest loads config files with Node's own loader, which cannot
// import a workspace package's `.ts` source. Types live in `config.d.mts`.
import { defineConfig } from 'vitest/config'

/**
 * The one vitest config every nara package uses. Tests never wait on wall-clock time to
 * check timing logic (clocks and random sources are injected), so the timeouts here only
 * bound real I/O: broker start-up, process spawn, a socket round trip.
 *
 * @param {{ testTimeoutMs?: number }} [options]
 */
export function naraVitestConfig(options = {}) {
  return defineConfig({
    test: {
      include: ['test/**/*.test.ts'],
      testTimeout: options.testTimeoutMs ?? 30_000,
      hookTimeout: 30_000,
      pool: 'forks',
      // The JSON report lets the root `pnpm test` print one total across every package.
      reporters: ['default', ['json', { outputFile: '.vitest-report.json' }]],
    },
  })
}
