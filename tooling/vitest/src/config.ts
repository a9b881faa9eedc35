import { defineConfig } from 'vitest/config'

/**
 * The one vitest config every nara package uses. Tests never wait on wall-clock time to
 * check timing logic (clocks and random sources are injected), so the timeouts here only
 * bound real I/O: broker start-up, process spawn, a socket round trip.
 */
export function naraVitestConfig(options: { testTimeoutMs?: number } = {}) {
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
