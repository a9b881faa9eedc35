/**
 * The configurations a user can choose, each able to open "a nara" (the subject of a check):
 * one nara (`createPlaza`: one receiver, one speaker) or a town (`createReceiver` and several
 * `createSpeaker`s on it: the subject and two town mates), each verifying inline or with the
 * verify worker pool. Every check of the compliance matrix runs against each of them.
 */
import { encodeSoul, generateSoul } from '@nara/crypto'
import { ledgerRequestTopic, ledgerResponseTopic, subscriptionTopics } from '@nara/protocol'
import {
  createPlaza,
  createReceiver,
  createSpeaker,
  type Keyring,
  type Logger,
  type Plaza,
  type PlazaCounters,
  type PlazaEventMap,
  type PlazaIdentity,
  type PlazaOptions,
  type ReceiverOptions,
  type Speaker,
  type SpeakerEvents,
} from '../../src/index.js'
import { createManualClock, type ManualClock } from '../../src/testing.js'
import { SOULS } from '../helpers.js'

/** One configuration of the matrix. */
export interface Configuration {
  /** Shown in the test names, e.g. `town, worker pool`. */
  readonly name: string
  readonly topology: 'nara' | 'town'
  /** `verifyWorkers` of the receiver: 0 verifies inline on the main thread. */
  readonly verifyWorkers: number
}

export const CONFIGURATIONS: readonly Configuration[] = [
  { name: 'nara, inline', topology: 'nara', verifyWorkers: 0 },
  { name: 'nara, worker pool', topology: 'nara', verifyWorkers: 1 },
  { name: 'town, inline', topology: 'town', verifyWorkers: 0 },
  { name: 'town, worker pool', topology: 'town', verifyWorkers: 1 },
]

/** What opening a nara takes: its clock and random source are the check's, so it drives them. */
export interface OpenOptions {
  clock: ManualClock
  random: () => number
  logger?: Logger
  options?: Partial<PlazaOptions>
}

/**
 * A nara as a configuration builds it. Message kinds and connection events come from its
 * receiver, join events from its own speaker; counters and keyring are the receiver's.
 */
export interface Subject
  extends Pick<
    Plaza,
    'publishSocial' | 'publishNewspaper' | 'sayHeyThere' | 'publishChau' | 'publish'
  > {
  readonly name: string
  readonly identity: PlazaIdentity
  readonly keyring: Keyring
  readonly brokerUrl: string
  readonly connected: boolean
  /** Every topic its connection subscribes to, in subscription order. */
  readonly topics: readonly string[]
  start(): Promise<void>
  stop(options?: { chau?: boolean }): Promise<void>
  on<K extends keyof PlazaEventMap>(
    event: K,
    listener: (payload: PlazaEventMap[K]) => void,
  ): () => void
  counters(): PlazaCounters
}

/** A test identity: the WIRE.md §10.1 souls, or a name of its own for anything else. */
export type SubjectName = keyof typeof SOULS

/** Opens `name` on `brokerUrl` as `config` builds a nara (nothing connects before `start()`). */
export function openSubject(
  config: Configuration,
  name: SubjectName,
  brokerUrl: string | readonly string[],
  open: OpenOptions,
): Subject {
  const options = {
    brokerUrl,
    identity: { name, soul: SOULS[name] },
    verifyWorkers: config.verifyWorkers,
    ...open.options,
  } satisfies PlazaOptions
  const deps = {
    clock: open.clock,
    random: open.random,
    ...(open.logger === undefined ? {} : { logger: open.logger }),
  }
  return config.topology === 'nara'
    ? naraSubject(createPlaza(options, deps))
    : townSubject(options, deps)
}

/** The plaza itself (its getters and methods, through the prototype), with its name and topics. */
function naraSubject(plaza: Plaza): Subject {
  const { name } = plaza.identity
  return Object.assign(Object.create(plaza) as Plaza, { name, topics: subscriptionTopics(name) })
}

const SPEAKER_EVENTS = new Set<string>(['hey-there-scheduled', 'hey-there-sent'])

/**
 * A town of three on one receiver: the subject's speaker and two mates. The mates join on a
 * clock of their own that no check moves, so they never speak unless asked: they only make the
 * receiver serve several naras (their ledger topics, their pins, no "own" name to skip).
 */
function townSubject(
  options: PlazaOptions,
  deps: { clock: ManualClock; random: () => number; logger?: Logger },
): Subject {
  const { identity, heyThereOnConnect, joinJitterMaxMs, ...receiverOptions } = options
  const receiver = createReceiver(receiverOptions satisfies ReceiverOptions, deps)
  const behaviour = {
    ...(heyThereOnConnect === undefined ? {} : { heyThereOnConnect }),
    ...(joinJitterMaxMs === undefined ? {} : { joinJitterMaxMs }),
  }
  const speaker = createSpeaker({ receiver, identity, ...behaviour }, deps)
  // The mates' joins wait on this clock, which nothing advances.
  const mateClock = createManualClock(deps.clock.now())
  const mates: Speaker[] = [1, 2].map((i) => {
    const name = `${identity.name}-mate-${i}`
    const { soul } = generateSoul(name, (n) => new Uint8Array(n).fill(i))
    return createSpeaker(
      { receiver, identity: { name, soul: encodeSoul(soul) } },
      { clock: mateClock, random: () => 0.5 },
    )
  })
  const naras = [identity.name, ...mates.map((m) => m.identity.name)]
  const base = subscriptionTopics(identity.name).filter((t) => !t.startsWith('nara/ledger/'))
  let stopped = false
  return {
    name: identity.name,
    identity: speaker.identity,
    keyring: receiver.keyring,
    get brokerUrl() {
      return receiver.brokerUrl
    },
    get connected() {
      return receiver.connected
    },
    topics: [...base, ...naras.flatMap((n) => [ledgerRequestTopic(n), ledgerResponseTopic(n)])],
    async start() {
      if (stopped) return
      await speaker.start()
      for (const mate of mates) await mate.start()
      await receiver.start()
    },
    async stop(o = {}) {
      if (stopped) return
      stopped = true
      await speaker.stop(o)
      for (const mate of mates) await mate.stop()
      await receiver.stop()
    },
    on(event, listener) {
      if (SPEAKER_EVENTS.has(event)) {
        return speaker.on(event as keyof SpeakerEvents, listener as never)
      }
      return receiver.on(event as never, listener as never)
    },
    counters: () => receiver.counters(),
    publish: (topic, payload, o) => receiver.publish(topic, payload, o),
    publishSocial: (social) => speaker.publishSocial(social),
    publishNewspaper: (status) => speaker.publishNewspaper(status),
    sayHeyThere: () => speaker.sayHeyThere(),
    publishChau: () => speaker.sayChau(),
  }
}
