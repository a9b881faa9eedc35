/**
 * A short, stable label for a public key, for tables and summaries: the first 8 bytes of SHA-256
 * over the raw 32-byte key, as 4 groups of 4 hex digits (`3f2a:91c0:...`). Not a wire value.
 */
import { nobleSha256 } from './backends/hash.js'

/** The fingerprint of a base64 public key; `-` when absent, `invalid` when not a key. */
export function keyFingerprint(publicKeyBase64: string | undefined): string {
  if (!publicKeyBase64) return '-'
  const raw = Buffer.from(publicKeyBase64, 'base64')
  if (raw.length !== 32) return 'invalid'
  const hex = nobleSha256.hex(raw).slice(0, 16)
  return `${hex.slice(0, 4)}:${hex.slice(4, 8)}:${hex.slice(8, 12)}:${hex.slice(12, 16)}`
}
