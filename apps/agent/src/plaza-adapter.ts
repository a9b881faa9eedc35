/**
 * Binds the agent's {@link PlazaPort} to the real `@nara/plaza`, and assembles the production
 * dependencies of an agent: identity and key pins from the data directory, a speaker on a
 * receiver (its own for one nara, the town's one for a town), crypto for the own proposal
 * signature and display values.
 */
import { flairPrefix, personalityFromSoul } from '@nara/crypto/soul'
import { computeEventId, signAttestation } from '@nara/crypto/wire'
import {
  createReceiver,
  createSpeaker,
  type Keyring,
  PLAZA_MESSAGE_KINDS,
  type PlazaDeps,
  type Receiver,
  type ReceiverOptions,
  type Speaker,
} from '@nara/plaza'
import {
  type CheckpointSyncEvent,
  encodeCheckpointProposal,
  type NaraStatus,
  TOPICS,
} from '@nara/protocol'
import type { AgentDeps } from './agent.js'
import type { BrokerConfig, Timings } from './config.js'
import { inboundProcessed } from './health.js'
import { type Identity, loadIdentity, loadRunState, saveRunState } from './identity-store.js'
import { persistentKeyring } from './keyring-file.js'
import { type Logger, plazaLogger } from './logger.js'
import type { PlazaEventKind, PlazaEvents, PlazaPort } from './plaza-port.js'
import { readCaFile } from './tls-ca-file.js'

/** Message kinds the port forwards from the receiver (each nara ignores its own). */
const MESSAGE_KINDS: ReadonlySet<string> = new Set(PLAZA_MESSAGE_KINDS)

/**
 * Adapts a speaker and its receiver to the port the agent uses. The receiver delivers every
 * verified message once; the port skips the speaker's own. `start`/`stop` are the speaker's
 * (and `ownsReceiver`: the receiver's too, for a single nara). Every attestation is signed once:
 * the own proposal by the checkpoint service (its final lists that signature first) and sent as
 * it is; votes by the speaker.
 */
export function plazaPort(
  receiver: Receiver,
  speaker: Speaker,
  options: { nowMs: () => number; ownsReceiver: boolean },
): PlazaPort {
  const me = speaker.identity.name
  const local = new Map<string, Set<(e: unknown) => void>>()
  const emitLocal = <K extends PlazaEventKind>(kind: K, event: PlazaEvents[K]) => {
    for (const l of local.get(kind) ?? []) l(event)
  }
  const addLocal = (kind: string, l: (e: unknown) => void) => {
    const set = local.get(kind) ?? new Set()
    set.add(l)
    local.set(kind, set)
    return () => set.delete(l)
  }
  let started = false
  const run = async (topic: string, p: Promise<boolean>) => {
    if (await p) emitLocal('published', { topic })
  }
  const live = (l: (e: unknown) => void) => (e: unknown) => {
    if (started) l(e)
  }
  // Every hey_there counts as published: the speaker's join ones and those of sayHeyThere().
  speaker.on('hey-there-sent', () => emitLocal('published', { topic: 'hey_there' }))
  return {
    async start() {
      started = true
      await speaker.start()
      if (options.ownsReceiver) await receiver.start()
      else if (receiver.connected) {
        // A town's receiver connected before this nara started: join now.
        emitLocal('connected', { reconnect: false })
        if (receiver.subscribed) emitLocal('subscribed', {})
      }
    },
    async stop() {
      await speaker.stop()
      started = false
      if (options.ownsReceiver) await receiver.stop()
    },
    async sayHeyThere() {
      await speaker.sayHeyThere()
    },
    async sayChau() {
      const sent = await speaker.sayChau()
      if (sent) emitLocal('published', { topic: 'chau' })
      return sent
    },
    publishNewspaper: (status) => run('newspaper', speaker.publishNewspaper(status)),
    publishHowdy: (h) =>
      run(
        'howdy',
        speaker.publishHowdy({
          to: h.To,
          seq: Number(h.Seq),
          you: h.You,
          neighbors: h.Neighbors,
          me: h.Me,
        }),
      ),
    publishSocial: (s) =>
      run(
        'social',
        speaker.publishSocial({
          type: s.type,
          actor: me,
          actor_id: speaker.identity.naraId,
          target: s.target,
          target_id: s.target_id,
          reason: s.reason,
        }),
      ),
    // Signed already (deps.signProposal): sent as it is, not signed a second time.
    publishCheckpointProposal: (p) =>
      run(
        'checkpoint_propose',
        receiver.publish(TOPICS.checkpointPropose, encodeCheckpointProposal(p)),
      ),
    // Votes come unsigned: the speaker signs them (attester = us).
    publishCheckpointVote: (v) => run('checkpoint_vote', speaker.publishCheckpointVote(v)),
    publishCheckpointFinal(payload) {
      const event: CheckpointSyncEvent = {
        id: '',
        ts: BigInt(options.nowMs()) * 1_000_000n,
        svc: 'checkpoint',
        checkpoint: payload,
      }
      event.id = computeEventId(event)
      void run('checkpoint_final', speaker.publishCheckpointFinal(event))
      return event.id
    },
    keyById: (naraId) => receiver.keyring.lookup(naraId),
    hasStanding: (name) => receiver.keyring.isDurable(name),
    brokerUrl: () => receiver.brokerUrl,
    connected: () => receiver.connected,
    inboundSeen: () => inboundProcessed(receiver),
    on(kind, listener) {
      const l = live(listener as (e: unknown) => void)
      if (MESSAGE_KINDS.has(kind)) {
        return receiver.on(kind as 'hey_there', (ev) => {
          if (ev.sender === me) return
          if (kind === 'checkpoint_final')
            return l({ message: ev.message, voters: ev.voters ?? [] })
          if (kind !== 'newspaper') return l({ message: ev.message })
          const paper = ev as unknown as {
            sender: string
            message: { envelope: { Status: NaraStatus } }
            nameProof: PlazaEvents['newspaper']['nameProof']
            senderId: string | undefined
          }
          l({
            from: paper.sender,
            status: paper.message.envelope.Status,
            nameProof: paper.nameProof,
            senderId: paper.senderId,
          })
        })
      }
      switch (kind) {
        case 'key-conflict':
          return receiver.on('key-conflict', (ev) =>
            l({ name: ev.name ?? ev.naraId ?? '?', topic: ev.topic }),
          )
        case 'drop':
          return receiver.on('drop', (ev) =>
            l({
              reason: ev.reason,
              topic: ev.topic,
              kind: ev.kind,
              claimedSender: ev.claimedSender,
              detail: ev.detail,
            }),
          )
        case 'subscribed': {
          const off = receiver.on('subscribed', () => l({}))
          const offLocal = addLocal(kind, l)
          return () => {
            off()
            offLocal()
          }
        }
        case 'connected': {
          const off = receiver.on('connected', (ev) => l({ reconnect: ev.reconnect }))
          const offLocal = addLocal(kind, l)
          return () => {
            off()
            offLocal()
          }
        }
        case 'hey-there-sent':
          return speaker.on('hey-there-sent', (ev) => l({ join: ev.join }))
        case 'disconnected':
          return receiver.on('disconnected', (ev) => l({ reason: ev.error?.message }))
        case 'error':
          return receiver.on('error', (ev) => l({ code: ev.code, message: ev.message }))
        case 'verified':
          // A town's receiver verifies for every nara: the town reports it once.
          if (!options.ownsReceiver) return () => undefined
          return receiver.on('verified', (ev) => l({ count: ev.count, seconds: ev.seconds }))
        default:
          return addLocal(kind, listener as (e: unknown) => void)
      }
    },
  }
}

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

export interface ProductionDepsOptions {
  dataDir: string
  broker: BrokerConfig
  name: string | undefined
  soul: string | undefined
  logger: Logger
  timings: Timings
  /** Extra plaza collaborators (shared clock etc.). */
  plazaDeps?: PlazaDeps
  /**
   * The town's receiver: this nara is a speaker on it (the town starts and stops it, and its
   * keyring holds the town's pins). Undefined: a receiver of its own with pins in `dataDir`.
   */
  receiver?: Receiver
  /** Receiver options to override (bench: rate limits). */
  receiverOverrides?: Partial<ReceiverOptions>
  /** Called with the receiver this nara creates for itself (its web page watches through it). */
  onReceiver?: (receiver: Receiver) => void
}

export function describeIdentity(identity: Identity): {
  flair: string
  personality: NaraStatus['Personality']
} {
  return {
    flair: flairPrefix(identity.name, identity.soul, identity.bondValid),
    personality: personalityFromSoul(identity.soul),
  }
}

export function productionDeps(o: ProductionDepsOptions): AgentDeps {
  return {
    loadIdentity: () => loadIdentity({ dataDir: o.dataDir, name: o.name, soul: o.soul }),
    describe: describeIdentity,
    runState: {
      load: (nowS) => loadRunState(o.dataDir, nowS, o.logger),
      save: (state) => saveRunState(o.dataDir, state),
    },
    signProposal: (identity, proposal) => signAttestation(proposal, identity.keypair.seed),
    async createPlaza(identity, join) {
      const logger = plazaLogger(o.logger.child({ nara: identity.name, component: 'plaza' }))
      const deps: PlazaDeps = { logger, ...o.plazaDeps }
      let receiver = o.receiver
      let flush = async () => {}
      if (receiver === undefined) {
        const pins = await persistentKeyring(o.dataDir, o.logger, 0)
        flush = pins.flush
        receiver = createReceiver(
          { ...receiverOptions(o.broker, pins.keyring), ...o.receiverOverrides },
          deps,
        )
        o.onReceiver?.(receiver)
      }
      // The speaker announces itself after each subscription, after its jitter (WIRE §1.3).
      const speaker = createSpeaker(
        {
          receiver,
          identity: { name: identity.name, soul: identity.soulText },
          heyThereOnConnect: true,
          joinJitterMaxMs: join.jitterMaxMs,
        },
        deps,
      )
      const port = plazaPort(receiver, speaker, {
        nowMs: () => Date.now(),
        ownsReceiver: o.receiver === undefined,
      })
      return {
        ...port,
        stop: async () => {
          await port.stop()
          await flush()
        },
      }
    },
  }
}
