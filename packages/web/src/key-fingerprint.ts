/**
 * A short, stable label for a public key, for tables: the first 8 bytes of SHA-256 over the raw
 * 32-byte key, as 4 groups of 4 hex digits (`3f2a:91c0:...`). Not a wire value.
 */
import { createHash } from 'node:crypto'

export function keyFingerprint(publicKeyBase64: string | undefined): string {
  if (!publicKeyBase64) return '-'
  const raw = Buffer.from(publicKeyBase64, 'base64')
  if (raw.length !== 32) return 'invalid'
  const hex = createHash('sha256').update(raw).digest('hex').slice(0, 16)
  return hex.match(/.{4}/g)!.join(':')
}
