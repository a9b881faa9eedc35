/**
 * The PEM files of a TLS broker connection: the CA to trust (NARA_TLS_CA / --tls-ca), and the
 * client certificate and key for mTLS (NARA_TLS_CERT / --cert, NARA_TLS_KEY / --key). Read once
 * per connection; an unreadable file is an InputError naming it.
 */
import type { BrokerSettings } from './config.js'
import { readTextFile } from './io-helpers.js'

export interface TlsFiles {
  ca?: string
  cert?: string
  key?: string
}

/** Reads the broker's CA, client certificate and key files (those that are set). */
export async function readTlsFiles(broker: BrokerSettings): Promise<TlsFiles> {
  const files: TlsFiles = {}
  if (broker.tlsCaFile) files.ca = await readTextFile(broker.tlsCaFile, 'CA file')
  if (broker.tlsCertFile) files.cert = await readTextFile(broker.tlsCertFile, 'client certificate')
  if (broker.tlsKeyFile) files.key = await readTextFile(broker.tlsKeyFile, 'client key')
  return files
}
