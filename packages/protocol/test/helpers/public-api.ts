/** Every public entry point of the package, as users import them (`@nara/protocol` and subpaths). */
export * from '../../src/errors-entry.js'
export * from '../../src/index.js'
export * from '../../src/json.js'
export * from '../../src/schemas.js'
export * from '../../src/topics-entry.js'
