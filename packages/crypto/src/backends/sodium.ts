/**
 * libsodium through the optional `sodium-native` addon. Loaded lazily with `createRequire`
 * inside `try`/`catch`, so a missing or broken addon only means this backend is unavailable.
 */
import { createRequire } from 'node:module'
import { assertSeed } from '../bytes.js'
import { checkSignArgs, checkVerifyArgs, type Ed25519Backend } from './backend.js'
import { nodeSha256 } from './hash.js'
import { seedCache } from './key-cache.js'

/** The part of `sodium-native` this backend uses. */
interface SodiumNative {
  crypto_sign_seed_keypair(publicKey: Uint8Array, secretKey: Uint8Array, seed: Uint8Array): void
  crypto_sign_detached(signature: Uint8Array, message: Uint8Array, secretKey: Uint8Array): void
  crypto_sign_verify_detached(
    signature: Uint8Array,
    message: Uint8Array,
    publicKey: Uint8Array,
  ): boolean
}

let loaded: Ed25519Backend | null | undefined

function createSodiumBackend(sodium: SodiumNative): Ed25519Backend {
  const keypair = seedCache((seed) => {
    const publicKey = new Uint8Array(32)
    const secretKey = new Uint8Array(64)
    sodium.crypto_sign_seed_keypair(publicKey, secretKey, seed)
    return { publicKey, secretKey }
  })
  return Object.freeze({
    name: 'sodium' as const,
    sha256: nodeSha256,
    sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
      checkSignArgs(message, seed)
      const signature = new Uint8Array(64)
      sodium.crypto_sign_detached(signature, message, keypair(seed).secretKey)
      return signature
    },
    verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
      checkVerifyArgs(signature, message, publicKey)
      try {
        return sodium.crypto_sign_verify_detached(signature, message, publicKey)
      } catch {
        return false
      }
    },
    publicKey(seed: Uint8Array): Uint8Array {
      assertSeed(seed)
      return Uint8Array.from(keypair(seed).publicKey)
    },
  })
}

/**
 * The libsodium backend, or `null` when `sodium-native` cannot be loaded here. The result is
 * memoised (the addon is loaded at most once).
 */
export function loadSodiumBackend(): Ed25519Backend | null {
  if (loaded !== undefined) return loaded
  try {
    const require = createRequire(import.meta.url)
    const sodium = require('sodium-native') as SodiumNative
    loaded = createSodiumBackend(sodium)
  } catch {
    loaded = null
  }
  return loaded
}
