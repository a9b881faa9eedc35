/**
 * @packageDocumentation
 *
 * `@nara/crypto/backends`: the interchangeable Ed25519 implementations (noble, pure JS and the
 * default; node, OpenSSL; sodium, libsodium when `sodium-native` is installed) and the two
 * SHA-256 ones. Every function of `@nara/crypto` that signs or verifies takes a `backend`.
 *
 * @example
 * ```ts
 * import { availableBackends, fastestBackend } from '@nara/crypto/backends'
 *
 * console.log(availableBackends().map((b) => b.name), fastestBackend().name)
 * ```
 */

export { type BackendName, type Ed25519Backend, sha256Of } from './backend.js'
export { nobleSha256, nodeSha256, type Sha256Backend, type Sha256BackendName } from './hash.js'
export { DEFAULT_KEY_CACHE_ENTRIES } from './key-cache.js'
export { nobleBackend } from './noble.js'
export { nodeBackend } from './node.js'
export { availableBackends, defaultBackend, fastestBackend, getBackend } from './select.js'
export { loadSodiumBackend } from './sodium.js'
