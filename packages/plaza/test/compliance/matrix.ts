/**
 * The compliance matrix: every check runs against every configuration (nara or town, inline or
 * worker-pool verification) on every broker (aedes in-process, mosquitto as a child process).
 * One broker per broker kind and file; each check gets a {@link Session} that opens naras the
 * configuration's way and closes everything it opened when the check ends.
 */
import { BROKERS, type BrokerFactory, type TestBroker } from '@nara/vitest-config/brokers'
import type { MqttClient } from 'mqtt'
import { afterAll, afterEach, beforeAll, describe, it } from 'vitest'
import { createManualClock, scriptedRandom } from '../../src/testing.js'
import { rawClient } from '../raw-client.js'
import {
  CONFIGURATIONS,
  type Configuration,
  type OpenOptions,
  openSubject,
  type Subject,
  type SubjectName,
} from './configurations.js'

/** What a check sees: the broker, the configuration, and a way to open naras and raw clients. */
export interface Session {
  readonly broker: TestBroker
  readonly config: Configuration
  /**
   * Opens a nara the configuration's way, on `brokerUrl` (default: the broker's plain URL), with
   * a fresh manual clock and `scriptedRandom([0.5])` unless given. Stopped after the check.
   */
  open(name: SubjectName, options?: Partial<OpenOptions> & { brokerUrl?: string }): Subject
  /** A plain MQTT.js client (an observer or an attacker); ended after the check. */
  rawClient(): Promise<MqttClient>
}

/** A check of the matrix: one behaviour, written once, for any configuration. */
export type Check = (session: Session) => Promise<void>

/**
 * A session per check for `config` on the broker `broker()` returns; registers the cleanup of
 * everything the check opened (call inside a `describe`).
 */
export function sessionFor(broker: () => TestBroker, config: Configuration): Session {
  const subjects: Subject[] = []
  const clients: MqttClient[] = []
  afterEach(async () => {
    await Promise.all(subjects.splice(0).map((s) => s.stop()))
    await Promise.all(clients.splice(0).map((c) => c.endAsync(true)))
  })
  return {
    get broker() {
      return broker()
    },
    config,
    open(name, options = {}) {
      const { brokerUrl, ...rest } = options
      const subject = openSubject(config, name, brokerUrl ?? broker().url, {
        clock: createManualClock(),
        random: scriptedRandom([0.5]),
        ...rest,
      })
      subjects.push(subject)
      return subject
    },
    async rawClient() {
      const client = await rawClient(broker().url)
      clients.push(client)
      return client
    },
  }
}

/**
 * Runs `checks` against every configuration on every broker:
 * `{title} on {broker} > {configuration} > {check}`. `start` starts the file's broker of a kind
 * (default: the factory's plain broker).
 */
export function describeMatrix(
  title: string,
  checks: Readonly<Record<string, Check>>,
  start: (factory: BrokerFactory) => Promise<TestBroker> = (factory) => factory.start(),
): void {
  describe.each(BROKERS)(`${title} on $name`, (factory) => {
    let broker: TestBroker | undefined
    beforeAll(async () => {
      broker = await start(factory)
    })
    afterAll(() => broker?.close())
    describe.each(CONFIGURATIONS)('$name', (config) => {
      const session = sessionFor(() => {
        if (broker === undefined) throw new Error(`no ${factory.name} broker`)
        return broker
      }, config)
      for (const [name, check] of Object.entries(checks)) it(name, () => check(session))
    })
  })
}
