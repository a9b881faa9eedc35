import {
  buildChau,
  buildHeyThere,
  buildSocial,
  computeNaraId,
  type Ed25519Backend,
  fastestBackend,
  keypairFromSoul,
  parseSoul,
  publicKeyBase64,
} from '@nara/crypto'
import { attestationMessage, howdyMessage, signNewspaperStatus } from '@nara/crypto/wire'
import {
  type CheckpointProposal,
  type CheckpointSyncEvent,
  type CheckpointVote,
  encodeCheckpointProposal,
  encodeCheckpointVote,
  encodeHowdy,
  encodeJourneyCompletion,
  encodeLedgerRequest,
  encodeLedgerResponse,
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type HowdyEvent,
  isValidName,
  type JourneyCompletion,
  type LedgerResponse,
  ledgerRequestTopic,
  ledgerResponseTopic,
  type NaraStatus,
  newspaperTopic,
  type SocialPayload,
  type SyncEvent,
  TOPICS,
} from '@nara/protocol'
import { systemClock } from './clock.js'
import { InvalidOptionsError } from './errors.js'
import { EventHub } from './event-hub.js'
import { createJoinJitter } from './join-jitter.js'
import { silentLogger } from './logger.js'
import type { IdentityOptions, PlazaDeps, SpeakerBehaviour } from './options.js'
import { defaultRandom } from './random.js'
import type { Receiver } from './receiver.js'

/** Our identity as peers see it (no secrets). */
export interface PlazaIdentity {
  readonly name: string
  readonly naraId: string
  readonly publicKeyBase64: string
}

/** Fields of a howdy we publish; `From`, `Signature` and `Me.PublicKey`/`Me.ID` are filled in. */
export interface HowdyInput {
  to: string
  seq: number
  you: HowdyEvent['You']
  neighbors: HowdyEvent['Neighbors']
  me: NaraStatus
}

/** A checkpoint proposal or vote with its signature filled in by the speaker. */
export type Signed<T> = T & { readonly signature: string }

/** Join events of a speaker. */
export interface SpeakerEvents {
  /** The post-connect hey_there was scheduled after `delayMs` (join jitter). */
  'hey-there-scheduled': { readonly delayMs: number }
  /**
   * A hey_there was published: `join` true for the one after the join jitter (each (re)subscribe),
   * false for one sent by `sayHeyThere()`.
   */
  'hey-there-sent': { readonly eventId: string; readonly join: boolean }
}

/** Options of {@link createSpeaker}: who it is, how it joins, and the receiver it speaks through. */
export interface SpeakerOptions extends SpeakerBehaviour {
  /** The connection to publish through; its `subscribed` events start each join. */
  receiver: Receiver
  /** Stops the speaker when aborted (same as `stop()`, without chau). */
  signal?: AbortSignal
}

/**
 * One identity on the plaza: signs and publishes its messages, says a jittered hey_there after
 * every (re)subscribe of its receiver, and chau on `stop({ chau: true })`.
 */
export interface Speaker {
  readonly identity: PlazaIdentity
  /** Adds our ledger topics to the receiver's, and joins (now if subscribed, then on each subscribe). */
  start(): Promise<void>
  /** Cancels the pending hey_there; with `chau: true` (and connected), says chau first. */
  stop(options?: { chau?: boolean }): Promise<void>
  /** Signed hey_there now (the post-connect one is automatic). */
  sayHeyThere(): Promise<boolean>
  /** Signed chau. */
  sayChau(): Promise<boolean>
  /** Signed newspaper on `nara/newspaper/{me}`; `PublicKey` and `ID` are set to ours. */
  publishNewspaper(status: NaraStatus): Promise<boolean>
  /** Signed howdy (`howdy:{me}:{to}:{seq}`). `Me.Observations` null is sent as `{}`. */
  publishHowdy(input: HowdyInput): Promise<boolean>
  /** Signed social SyncEvent (emitter = us) on `nara/plaza/social`. */
  publishSocial(social: SocialPayload): Promise<boolean>
  /** Self-attested proposal (attester = subject = us), signed here, QoS 1. */
  publishCheckpointProposal(proposal: CheckpointProposal): Promise<boolean>
  /** Vote (attester = us), signed here over the attestation string, QoS 1. */
  publishCheckpointVote(vote: CheckpointVote): Promise<boolean>
  /** The proposal as {@link Speaker.publishCheckpointProposal} sends it (to keep our own copy). */
  signCheckpointProposal(proposal: CheckpointProposal): Signed<CheckpointProposal>
  /** The vote as {@link Speaker.publishCheckpointVote} sends it. */
  signCheckpointVote(vote: CheckpointVote): Signed<CheckpointVote>
  /** A final checkpoint built by the caller (unsigned envelope, voter signatures inside), QoS 1. */
  publishCheckpointFinal(event: CheckpointSyncEvent): Promise<boolean>
  publishLedgerRequest(target: string, subjects: string[] | null): Promise<boolean>
  publishLedgerResponse(requester: string, events: LedgerResponse['Events']): Promise<boolean>
  publishJourneyComplete(completion: JourneyCompletion): Promise<boolean>
  on<K extends keyof SpeakerEvents>(
    event: K,
    listener: (payload: SpeakerEvents[K]) => void,
  ): () => void
}

interface Keys {
  identity: PlazaIdentity
  seed: Uint8Array
  publicKey: Uint8Array
}

/** Checks the name and derives the keys from the soul (never echoes the soul). */
export function speakerKeys(identity: IdentityOptions): Keys {
  const name = identity?.name
  if (typeof name !== 'string' || !isValidName(name)) {
    throw new InvalidOptionsError('identity.name must be a valid nara name (no /, +, #, controls)')
  }
  try {
    const soul = parseSoul(identity.soul)
    const keypair = keypairFromSoul(soul)
    const naraId = computeNaraId(soul, name)
    const pub = publicKeyBase64(keypair.publicKey)
    return {
      identity: Object.freeze({ name, naraId, publicKeyBase64: pub }),
      seed: keypair.seed,
      publicKey: keypair.publicKey,
    }
  } catch {
    throw new InvalidOptionsError('identity.soul is not a valid soul (base58 of 40 bytes)')
  }
}

/**
 * Creates a speaker on `options.receiver` and pins its key there. Nothing is published until
 * `start()`.
 * @throws InvalidOptionsError for a bad name, soul or jitter bound (synchronously)
 */
export function createSpeaker(options: SpeakerOptions, deps: PlazaDeps = {}): Speaker {
  const clock = deps.clock ?? systemClock
  const logger = deps.logger ?? silentLogger
  const receiver = options.receiver
  const keys = speakerKeys(options.identity)
  const { identity } = keys
  const { name, naraId } = identity
  if (receiver.clientId === name) {
    throw new InvalidOptionsError('clientId must not be the nara name (WIRE.md §1.2, §12.3)')
  }
  const jitterMaxMs = options.joinJitterMaxMs ?? 5000
  if (!(Number.isFinite(jitterMaxMs) && jitterMaxMs >= 0)) {
    throw new InvalidOptionsError(
      `joinJitterMaxMs must be a finite number >= 0 (got ${jitterMaxMs})`,
    )
  }
  const backend: Ed25519Backend = fastestBackend()
  const signer = { name, seed: keys.seed }
  const meshIp = options.identity.meshIp ?? ''
  const hub = new EventHub<SpeakerEvents>((error, event) =>
    logger.error({ event: String(event), err: String(error) }, 'speaker listener threw'),
  )
  const jitter = createJoinJitter({
    clock,
    random: deps.random ?? defaultRandom,
    maxMs: jitterMaxMs,
  })
  const own = receiver.keyring.pin({ name, naraId, publicKey: keys.publicKey })
  if (own.status === 'conflict') {
    logger.warn({ name, label: own.label }, 'keyring pins another key for our own identity')
  }
  const detach: Array<() => void> = []
  let running = false

  const tsNs = (): bigint => BigInt(Math.trunc(clock.now())) * 1_000_000n
  const sign = (message: string): string =>
    Buffer.from(backend.sign(new TextEncoder().encode(message), keys.seed)).toString('base64')
  const publish = (topic: string, payload: Uint8Array | string) => receiver.publish(topic, payload)

  const heyThere = async (join: boolean): Promise<boolean> => {
    const ev = buildHeyThere(
      { name, publicKey: keys.publicKey, meshIp, naraId, tsNs: tsNs() },
      signer,
      backend,
    )
    const ok = await publish(TOPICS.heyThere, encodeSyncEvent(ev as SyncEvent))
    if (ok) hub.emit('hey-there-sent', { eventId: ev.id, join })
    return ok
  }

  const join = (): void => {
    if (options.heyThereOnConnect === false) return
    const delayMs = jitter.schedule(() => {
      if (running && receiver.subscribed) void heyThere(true)
    })
    hub.emit('hey-there-scheduled', { delayMs })
  }

  const speaker: Speaker = {
    identity,
    async start() {
      if (running || options.signal?.aborted === true) return
      running = true
      detach.push(receiver.addNara(name))
      detach.push(receiver.on('subscribed', join))
      detach.push(receiver.on('disconnected', () => jitter.cancel()))
      if (receiver.subscribed) join()
    },
    async stop(stopOptions = {}) {
      if (!running) return
      if (stopOptions.chau === true && receiver.connected) await speaker.sayChau()
      running = false
      jitter.cancel()
      for (const off of detach.splice(0)) off()
    },
    sayHeyThere: () => heyThere(false),
    sayChau() {
      const ev = buildChau(
        { name, publicKey: keys.publicKey, naraId, tsNs: tsNs() },
        signer,
        backend,
      )
      return publish(TOPICS.chau, encodeSyncEvent(ev as SyncEvent))
    },
    publishNewspaper(status) {
      const statusBytes = new TextEncoder().encode(
        encodeNaraStatus({ ...status, PublicKey: identity.publicKeyBase64, ID: naraId }),
      )
      const signature = signNewspaperStatus(statusBytes, keys.seed, backend)
      return publish(newspaperTopic(name), encodeNewspaperBytes(name, statusBytes, signature))
    },
    publishHowdy(input) {
      const howdy: HowdyEvent = {
        From: name,
        To: input.to,
        Seq: input.seq,
        You: input.you,
        Neighbors: input.neighbors,
        Me: {
          ...input.me,
          Observations: input.me.Observations ?? {},
          PublicKey: identity.publicKeyBase64,
          ID: naraId,
        },
        Signature: sign(howdyMessage(name, input.to, input.seq)),
      }
      return publish(TOPICS.howdy, encodeHowdy(howdy))
    },
    publishSocial(social) {
      const ev = buildSocial(
        {
          type: social.type,
          actor: social.actor ?? name,
          actorId: social.actor_id,
          target: social.target ?? '',
          targetId: social.target_id,
          reason: social.reason,
          witness: social.witness,
          tsNs: tsNs(),
        },
        signer,
        backend,
      )
      return publish(TOPICS.social, encodeSyncEvent(ev as SyncEvent))
    },
    signCheckpointProposal(proposal) {
      const p = {
        ...proposal,
        attester: name,
        attester_id: naraId,
        subject: name,
        subject_id: naraId,
      }
      return { ...p, signature: sign(attestationMessage(p)) }
    },
    signCheckpointVote(vote) {
      const v = { ...vote, attester: name, attester_id: naraId }
      return { ...v, signature: sign(attestationMessage(v)) }
    },
    publishCheckpointProposal(proposal) {
      const signed = speaker.signCheckpointProposal(proposal)
      return publish(TOPICS.checkpointPropose, encodeCheckpointProposal(signed))
    },
    publishCheckpointVote(vote) {
      return publish(TOPICS.checkpointVote, encodeCheckpointVote(speaker.signCheckpointVote(vote)))
    },
    publishCheckpointFinal(event) {
      return publish(TOPICS.checkpointFinal, encodeSyncEvent(event as SyncEvent))
    },
    publishLedgerRequest(target, subjects) {
      return publish(
        ledgerRequestTopic(target),
        encodeLedgerRequest({ From: name, Subjects: subjects }),
      )
    },
    publishLedgerResponse(requester, events) {
      return publish(
        ledgerResponseTopic(requester),
        encodeLedgerResponse({ From: name, Events: events }),
      )
    },
    publishJourneyComplete(completion) {
      return publish(TOPICS.journeyComplete, encodeJourneyCompletion(completion))
    },
    on(event, listener) {
      return hub.on(event, listener)
    },
  }
  options.signal?.addEventListener('abort', () => void speaker.stop(), { once: true })
  return speaker
}
