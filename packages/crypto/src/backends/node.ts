/**
 * `node:crypto` Ed25519 (OpenSSL). Public keys are imported from DER SPKI
 * (`302a300506032b6570032100 || key`), private keys from DER PKCS#8
 * (`302e020100300506032b657004220420 || seed`); both are cached.
 */
import {
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign as nodeSign,
  verify as nodeVerify,
} from 'node:crypto'
import { assertSeed } from '../bytes.js'
import { isWeakPublicKey } from '../weak-keys.js'
import { checkSignArgs, checkVerifyArgs, type Ed25519Backend } from './backend.js'
import { nodeSha256 } from './hash.js'
import { publicKeyCache, seedCache } from './key-cache.js'

const SPKI_PREFIX = Buffer.from('302a300506032b6570032100', 'hex')
const PKCS8_PREFIX = Buffer.from('302e020100300506032b657004220420', 'hex')

const importPublic = publicKeyCache<KeyObject | null>((publicKey) => {
  // OpenSSL accepts small-order keys (the identity key verifies an all-zero signature for any
  // message); noble and sodium refuse them, and so do we.
  if (isWeakPublicKey(publicKey)) return null
  try {
    return createPublicKey({
      key: Buffer.concat([SPKI_PREFIX, publicKey]),
      format: 'der',
      type: 'spki',
    })
  } catch {
    return null // not importable: every signature with it is invalid
  }
})

const importPrivate = seedCache<KeyObject>((seed) =>
  createPrivateKey({ key: Buffer.concat([PKCS8_PREFIX, seed]), format: 'der', type: 'pkcs8' }),
)

/** Node's built-in `crypto` Ed25519. */
export const nodeBackend: Ed25519Backend = Object.freeze({
  name: 'node' as const,
  sha256: nodeSha256,
  sign(message: Uint8Array, seed: Uint8Array): Uint8Array {
    checkSignArgs(message, seed)
    return new Uint8Array(nodeSign(null, message, importPrivate(seed)))
  },
  verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array): boolean {
    checkVerifyArgs(signature, message, publicKey)
    const key = importPublic(publicKey)
    if (key === null) return false
    try {
      return nodeVerify(null, message, key, signature)
    } catch {
      return false
    }
  },
  publicKey(seed: Uint8Array): Uint8Array {
    assertSeed(seed)
    const spki = createPublicKey(importPrivate(seed)).export({ format: 'der', type: 'spki' })
    return new Uint8Array(spki.subarray(SPKI_PREFIX.length))
  },
})
