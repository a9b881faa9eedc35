/**
 * The one Ed25519 API every backend implements. All backends are pure RFC 8032 Ed25519 (never
 * Ed25519ph), produce identical deterministic signatures, and pass the same vector suite.
 */
import { assertBytes, assertPublicKey, assertSeed, assertSignature } from '../bytes.js'
import { nobleSha256, type Sha256Backend } from './hash.js'

/** Names of the built-in backends. */
export type BackendName = 'noble' | 'node' | 'sodium'

/** A synchronous Ed25519 implementation. */
export interface Ed25519Backend {
  /** Which implementation this is. */
  readonly name: BackendName
  /**
   * Signs `message` (raw bytes, not pre-hashed) with the 32-byte RFC 8032 `seed`.
   * @returns the 64-byte signature
   * @throws InvalidInputTypeError / InvalidSeedError on misuse
   */
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array
  /**
   * Checks a 64-byte `signature` over `message` with a 32-byte `publicKey`. A wrong signature
   * (or a key that is not a valid curve point) returns `false`.
   * @throws InvalidInputTypeError / InvalidSignatureLengthError / InvalidPublicKeyError on misuse
   */
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean
  /** The 32-byte public key of a 32-byte seed. */
  publicKey(seed: Uint8Array): Uint8Array
  /**
   * The SHA-256 that goes with this backend (event IDs and SyncEvent digests): `nobleSha256`
   * for noble, `nodeSha256` for node and sodium. Optional for custom backends (see
   * {@link sha256Of}).
   */
  readonly sha256?: Sha256Backend
}

/** The SHA-256 of `backend`, or `nobleSha256` when it brings none. */
export function sha256Of(backend: Ed25519Backend): Sha256Backend {
  return backend.sha256 ?? nobleSha256
}

/** Shared argument checks so that every backend fails the same way on misuse. */
export function checkSignArgs(message: unknown, seed: unknown): void {
  assertBytes(message, 'message')
  assertSeed(seed)
}

/** Shared argument checks for `verify`. */
export function checkVerifyArgs(signature: unknown, message: unknown, publicKey: unknown): void {
  assertSignature(signature)
  assertBytes(message, 'message')
  assertPublicKey(publicKey)
}
