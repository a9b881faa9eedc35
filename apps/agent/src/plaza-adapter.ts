/**
 * The production dependencies of an agent: identity and key pins from the data directory, a
 * speaker on a receiver (its own for one nara, the town's one for a town) bound to the agent's
 * `PlazaPort` (`speaker-port.ts`), crypto for the own proposal signature and display values.
 */
import { flairPrefix, personalityFromSoul } from '@nara/crypto/soul'
import { signAttestation } from '@nara/crypto/wire'
import {
  createReceiver,
  createSpeaker,
  type PlazaDeps,
  type Receiver,
  type ReceiverOptions,
} from '@nara/plaza'
import type { NaraStatus } from '@nara/protocol'
import type { AgentDeps } from './agent.js'
import { receiverOptions } from './broker-connection.js'
import type { BrokerConfig, Timings } from './config.js'
import { type Identity, loadIdentity, loadRunState, saveRunState } from './identity-store.js'
import { persistentKeyring } from './keyring-file.js'
import { type Logger, plazaLogger } from './logger.js'
import { plazaPort } from './speaker-port.js'

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
