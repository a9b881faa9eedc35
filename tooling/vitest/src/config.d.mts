import type { UserConfig } from 'vitest/config'

/** The one vitest config every nara package uses (see config.mjs). */
export declare function naraVitestConfig(options?: { testTimeoutMs?: number }): UserConfig
