/**
 * A town's way onto the plaza: the broker it uses (an embedded aedes broker on a free localhost
 * port unless one is given) and its one receiver (one MQTT connection, one verified inbound
 * pipeline for every nara), with the town's key pins in `{dataDir}/town/keyring.json`.
 */
import { join } from 'node:path'
import { createReceiver, type Receiver, type ReceiverOptions } from '@nara/plaza'
import { receiverOptions } from './broker-connection.js'
import type { BrokerConfig } from './config.js'
import { startEmbeddedBroker } from './embedded-broker.js'
import { persistentKeyring } from './keyring-file.js'
import { type Logger, plazaLogger } from './logger.js'

/** The broker a town runs on; `embedded` when the town started it (and closes it). */
export interface TownBroker {
  config: BrokerConfig
  embedded: { url: string; close: () => Promise<void> } | undefined
}

/** The given broker, or an embedded one started now. */
export async function townBroker(given: BrokerConfig | undefined): Promise<TownBroker> {
  if (given) return { config: given, embedded: undefined }
  const embedded = await startEmbeddedBroker()
  const config: BrokerConfig = {
    urls: [embedded.url],
    url: embedded.url,
    username: undefined,
    password: undefined,
    caFile: undefined,
    tlsInsecure: false,
  }
  return { config, embedded }
}

/**
 * The town's receiver on `broker`, with the town's key pins loaded (not started yet: `onReceiver`
 * sees it before it connects). `flushPins` saves the pins.
 */
export async function townReceiver(o: {
  dataDir: string
  broker: BrokerConfig
  logger: Logger
  receiverOverrides?: Partial<ReceiverOptions> | undefined
  onReceiver?: ((receiver: Receiver) => void) | undefined
}): Promise<{ receiver: Receiver; flushPins: () => Promise<void> }> {
  const pins = await persistentKeyring(join(o.dataDir, 'town'), o.logger, 5000)
  const receiver = createReceiver(
    { ...receiverOptions(o.broker, pins.keyring), ...o.receiverOverrides },
    { logger: plazaLogger(o.logger.child({ component: 'plaza' })) },
  )
  o.onReceiver?.(receiver)
  return { receiver, flushPins: pins.flush }
}
