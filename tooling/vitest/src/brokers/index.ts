/**
 * Real-broker fixtures for nara integration tests: an in-process aedes broker and a real
 * `mosquitto` child process, behind one {@link TestBroker} interface, plus a throwaway PKI;
 * and two multi-broker plazas: a 3-node NATS cluster with MQTT listeners
 * ({@link startNatsCluster}) and a star of bridged mosquitto brokers ({@link startMosquittoStar}).
 *
 * @example
 * ```ts
 * import { BROKERS } from '@nara/vitest-config/brokers'
 *
 * describe.each(BROKERS)('plaza on $name', ({ start }) => {
 *   let broker: TestBroker
 *   beforeAll(async () => { broker = await start() })
 *   afterAll(() => broker.close())
 *   it('connects', async () => { ... broker.url ... })
 * })
 * ```
 *
 * A missing `mosquitto` or `nats-server` binary makes its fixture throw (never a silent skip).
 */
import { startAedes } from './aedes.js'
import { startMosquitto } from './mosquitto.js'
import type { BrokerFactory } from './types.js'

export { type AedesOptions, startAedes } from './aedes.js'
export { findBinary, requireBinary } from './find-binary.js'
export { freePort } from './free-port.js'
export {
  type MosquittoBroker,
  type MosquittoOptions,
  type MosquittoTlsOptions,
  startMosquitto,
} from './mosquitto.js'
export {
  type MosquittoStar,
  type MosquittoStarOptions,
  type StarBridge,
  startMosquittoStar,
} from './mosquitto-star.js'
export {
  type NatsCluster,
  type NatsClusterOptions,
  type NatsNode,
  startNatsCluster,
} from './nats-cluster.js'
export { makeTestPki, type TestPki } from './pki.js'
export { startTcpLink, type TcpLink } from './tcp-link.js'
export type { BrokerFactory, BrokerOptions, BrokerTlsOptions, TestBroker } from './types.js'
export { waitForPort } from './wait-for-port.js'

/** Both brokers, for `describe.each(BROKERS)('... on $name', ({ start }) => ...)`. */
export const BROKERS: readonly BrokerFactory[] = [
  { name: 'aedes', start: startAedes },
  { name: 'mosquitto', start: startMosquitto },
]
