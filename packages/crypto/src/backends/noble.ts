/**
 * The portable reference backend: `@noble/ed25519` through its synchronous API, with SHA-512
 * from `@noble/hashes` wired once. Verification uses RFC 8032 rules (`zip215: false`), like Go's
 * `crypto/ed25519`, OpenSSL and libsodium.
 */
import * as ed from '@noble/ed25519'
import { sha512 } from '@noble/hashes/sha2.js'
import { assertSeed } from '../bytes.js'
import { checkSignArgs, checkVerifyArgs, type Ed25519Backend } from './backend.js'
import { nobleSha256 } from './hash.js'

// Wired once for the synchronous API. The cast only bridges the two packages' typings
// (`Uint8Array<ArrayBufferLike>` vs `<ArrayBuffer>`); sha512 always returns a fresh ArrayBuffer.
ed.hashes.sha512 = sha512 as unknown as NonNullable<typeof ed.hashes.sha512>

/** `@noble/ed25519` (pure JS). */
export const nobleBackend: Ed25519Backend = Object.freeze({
  name: 'noble' as const,
  sha256: nobleSha256,
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
    checkSignArgs(message, seed)
    return ed.sign(message, seed)
  },
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    checkVerifyArgs(signature, message, publicKey)
    try {
      return ed.verify(signature, message, publicKey, { zip215: false })
    } catch {
      return false
    }
  },
  publicKey(seed: Uint8Array): Uint8Array {
    assertSeed(seed)
    return ed.getPublicKey(seed)
  },
})
