/**
 * How the agent reaches its brokers: the receiver options of a broker config (a nara's own
 * receiver and a town's one).
 */
import type { Keyring, ReceiverOptions } from '@nara/plaza'
import type { BrokerConfig } from './config.js'
import { readCaFile } from './tls-ca-file.js'

/**
 * The receiver options of a broker config (a list of URLs, shuffled by the receiver), with the
 * agent's replay memories: sized for a plaza of 1,000+ naras (at chattiness 100 each nara's
 * newspapers alone fill 20 entries per 10-min window; 16,384 would fail closed).
 */
export function receiverOptions(broker: BrokerConfig, keyring: Keyring): ReceiverOptions {
  return { ...brokerConnection(broker), keyring, dedupeSize: 65_536 }
}

/** How to reach the brokers of a config: every URL (the plaza shuffles them), credentials, TLS. */
export function brokerConnection(
  broker: BrokerConfig,
): Pick<ReceiverOptions, 'brokerUrl' | 'username' | 'password' | 'tls'> {
  const ca = broker.caFile === undefined ? undefined : readCaFile(broker.caFile)
  return {
    brokerUrl: broker.urls,
    username: broker.username,
    password: broker.password,
    tls: { ca, insecureSkipVerify: broker.tlsInsecure, caSetting: 'NARA_TLS_CA' },
  }
}
