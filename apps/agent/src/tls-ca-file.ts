import { readFileSync } from 'node:fs'
import { reasonOf, StartupError } from './startup-error.js'

/**
 * The CA certificates of `NARA_TLS_CA` (PEM). A file that cannot be read or holds no
 * certificate fails the start naming the variable (TLS would otherwise fall back to the system
 * CAs and fail later with a handshake error).
 */
export function readCaFile(path: string): Buffer {
  let pem: Buffer
  try {
    pem = readFileSync(path)
  } catch (err) {
    throw new StartupError(
      `NARA_TLS_CA: cannot read "${path}" (${reasonOf(err)}); give the path of the broker's CA certificate (PEM)`,
    )
  }
  if (!pem.includes('-----BEGIN CERTIFICATE-----'))
    throw new StartupError(
      `NARA_TLS_CA: "${path}" holds no certificate (no "-----BEGIN CERTIFICATE-----" line); give the broker's CA certificate in PEM form`,
    )
  return pem
}
