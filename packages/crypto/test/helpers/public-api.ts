/** Every public entry point of the package, as users import them (`@nara/crypto` and subpaths). */
export * from '../../src/backends/index.js'
export * from '../../src/errors-entry.js'
export * from '../../src/index.js'
export * from '../../src/soul-entry.js'
export * from '../../src/wire.js'
