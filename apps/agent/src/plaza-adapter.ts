/**
 * Binds the agent's {@link PlazaPort} to the real `@nara/plaza`, and assembles the production
 * dependencies of an agent: identity and key pins from the data directory, the plaza with a
 * persistent keyring, crypto for the own proposal signature and display values.
 */
import { readFileSync } from 'node:fs'
import { computeEventId, flairPrefix, personalityFromSoul, signAttestation } from '@nara/crypto'
import {
  createKeyring,
  createPlaza,
  type Plaza,
  type PlazaDeps,
  type PlazaOptions,
} from '@nara/plaza'
import type { CheckpointSyncEvent, NaraStatus } from '@nara/protocol'
import type { AgentDeps } from './agent.js'
import type { BrokerConfig, Timings } from './config.js'
import {
  type Identity,
  loadIdentity,
  loadKeyringJson,
  loadRunState,
  saveKeyringJson,
  saveRunState,
} from './identity-store.js'
import type { Logger } from './logger.js'
import type { PlazaEventKind, PlazaEvents, PlazaPort } from './plaza-port.js'

/** Adapts a real plaza to the port the agent uses. */
export function plazaPort(plaza: Plaza, nowMs: () => number): PlazaPort {
  const local = new Map<string, Set<(e: unknown) => void>>()
  const emitLocal = <K extends PlazaEventKind>(kind: K, event: PlazaEvents[K]) => {
    for (const l of local.get(kind) ?? []) l(event)
  }
  const sent = (topic: string) => (ok: boolean) => {
    if (ok) emitLocal('published', { topic })
  }
  const run = async (topic: string, p: Promise<boolean>) => {
    sent(topic)(await p)
  }
  return {
    start: () => plaza.start(),
    stop: () => plaza.stop(),
    sayHeyThere: () => run('hey_there', plaza.sayHeyThere()),
    sayChau: () => run('chau', plaza.sayChau()),
    publishNewspaper: (status) => run('newspaper', plaza.publishNewspaper(status)),
    publishHowdy: (h) =>
      run(
        'howdy',
        plaza.publishHowdy({ to: h.To, seq: h.Seq, you: h.You, neighbors: h.Neighbors, me: h.Me }),
      ),
    publishSocial: (s) =>
      run(
        'social',
        plaza.publishSocial({
          type: s.type,
          actor: plaza.identity.name,
          actor_id: plaza.identity.naraId,
          target: s.target,
          target_id: s.target_id,
          reason: s.reason,
        }),
      ),
    publishCheckpointProposal: (p) => run('checkpoint_propose', plaza.publishCheckpointProposal(p)),
    publishCheckpointVote: (v) => run('checkpoint_vote', plaza.publishCheckpointVote(v)),
    publishCheckpointFinal(payload) {
      const event: CheckpointSyncEvent = {
        id: '',
        ts: BigInt(nowMs()) * 1_000_000n,
        svc: 'checkpoint',
        checkpoint: payload,
      }
      event.id = computeEventId(event)
      void run('checkpoint_final', plaza.publishCheckpointFinal(event))
      return event.id
    },
    keyById: (naraId) => plaza.keyring.lookup(naraId),
    connected: () => plaza.connected,
    on(kind, listener) {
      const l = listener as (e: unknown) => void
      switch (kind) {
        case 'newspaper':
          return plaza.on('newspaper', (ev) =>
            l({
              from: ev.sender,
              status: ev.message.envelope.Status,
              nameProof: ev.nameProof,
              senderId: ev.senderId,
            }),
          )
        case 'key-conflict':
          return plaza.on('key-conflict', (ev) =>
            l({ name: ev.name ?? ev.naraId ?? '?', topic: ev.topic }),
          )
        case 'drop':
          return plaza.on('drop', (ev) =>
            l({
              reason: ev.reason,
              topic: ev.topic,
              kind: ev.kind,
              claimedSender: ev.claimedSender,
              detail: ev.detail,
            }),
          )
        case 'checkpoint_final':
          return plaza.on('checkpoint_final', (ev) =>
            l({ message: ev.message, voters: ev.voters ?? [] }),
          )
        case 'subscribed':
          return plaza.on('subscribed', () => l({}))
        case 'connected':
          return plaza.on('connected', (ev) => l({ reconnect: ev.reconnect }))
        case 'disconnected':
          return plaza.on('disconnected', (ev) => l({ reason: ev.error?.message }))
        case 'published': {
          const set = local.get(kind) ?? new Set()
          set.add(l)
          local.set(kind, set)
          return () => set.delete(l)
        }
        default:
          return plaza.on(kind as 'hey_there', (ev) => l({ message: ev.message }))
      }
    },
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
  /** Coalesce key-pin writes over this many ms (town); default 0 = write at once. */
  keyringSaveDelayMs?: number
  /** Plaza options to override (the town's shared `signatureCache`; bench: rate limits). */
  plazaOverrides?: Partial<PlazaOptions>
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
      load: (nowS) => loadRunState(o.dataDir, nowS),
      save: (state) => saveRunState(o.dataDir, state),
    },
    signProposal: (identity, proposal) => signAttestation(proposal, identity.keypair.seed),
    async createPlaza(identity) {
      const keyring = createKeyring({ json: (await loadKeyringJson(o.dataDir)) ?? {} })
      let saving: Promise<void> | undefined
      let dirty = false
      let delayed: NodeJS.Timeout | undefined
      const write = () => {
        delayed = undefined
        if (saving) return
        saving = (async () => {
          while (dirty) {
            dirty = false
            await saveKeyringJson(o.dataDir, keyring.toJSON()).catch((err: unknown) =>
              o.logger.warn({ err: (err as Error).message }, 'could not save key pins'),
            )
          }
          saving = undefined
        })()
      }
      // Pins come in bursts (a town's join pins every nara): coalesce the writes.
      const persist = () => {
        dirty = true
        const delayMs = o.keyringSaveDelayMs ?? 0
        if (delayMs <= 0) write()
        else delayed ??= setTimeout(write, delayMs)
      }
      const flush = async () => {
        if (delayed) {
          clearTimeout(delayed)
          write()
        }
        await saving
      }
      keyring.onChange(persist)
      const ca = o.broker.caFile ? readFileSync(o.broker.caFile) : undefined
      const plaza = createPlaza(
        {
          brokerUrl: o.broker.url,
          username: o.broker.username,
          password: o.broker.password,
          tls: { ca, insecureSkipVerify: o.broker.tlsInsecure },
          identity: { name: identity.name, soul: identity.soulText },
          keyring,
          // The agent announces itself after each subscription (join order of WIRE §1.3).
          heyThereOnConnect: false,
          // Replay memories sized for a plaza of 1,000+ naras: at chattiness 100 each nara's
          // newspapers alone fill 20 entries per 10-min window (16,384 would fail closed).
          dedupeSize: 65_536,
          ...o.plazaOverrides,
        },
        { logger: o.logger.child({ nara: identity.name, component: 'plaza' }), ...o.plazaDeps },
      )
      const port = plazaPort(plaza, () => Date.now())
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
