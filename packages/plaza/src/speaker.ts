import { type Ed25519Backend, fastestBackend } from '@nara/crypto'
import type {
  CheckpointProposal,
  CheckpointSyncEvent,
  CheckpointVote,
  JourneyCompletion,
  LedgerResponse,
  NaraStatus,
  SocialPayload,
} from '@nara/protocol'
import { systemClock } from './clock.js'
import { InvalidOptionsError } from './errors.js'
import { EventHub } from './event-hub.js'
import { createJoinJitter } from './join-jitter.js'
import { silentLogger } from './logger.js'
import type { PlazaDeps, SpeakerBehaviour } from './options.js'
import { defaultRandom } from './random.js'
import type { Receiver } from './receiver.js'
import { type PlazaIdentity, speakerKeys } from './speaker-keys.js'
import { type HowdyInput, type Outgoing, type Signed, speakerMessages } from './speaker-messages.js'

export { type PlazaIdentity, speakerKeys } from './speaker-keys.js'
export type { HowdyInput, Signed } from './speaker-messages.js'

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

/** The join jitter bound, after checking the options a speaker cannot start with. */
function checkedJitterMaxMs(options: SpeakerOptions, name: string): number {
  if (options.receiver.clientId === name) {
    throw new InvalidOptionsError('clientId must not be the nara name (WIRE.md §1.2, §12.3)')
  }
  const jitterMaxMs = options.joinJitterMaxMs ?? 5000
  if (!(Number.isFinite(jitterMaxMs) && jitterMaxMs >= 0)) {
    throw new InvalidOptionsError(
      `joinJitterMaxMs must be a finite number >= 0 (got ${jitterMaxMs})`,
    )
  }
  return jitterMaxMs
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
  const jitterMaxMs = checkedJitterMaxMs(options, name)
  const backend: Ed25519Backend = fastestBackend()
  const messages = speakerMessages(keys, {
    meshIp: options.identity.meshIp ?? '',
    nowMs: () => clock.now(),
    backend,
  })
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

  const send = (out: Outgoing) => receiver.publish(out.topic, out.payload)
  const heyThere = async (join: boolean): Promise<boolean> => {
    const out = messages.heyThere()
    const ok = await send(out)
    if (ok) hub.emit('hey-there-sent', { eventId: out.eventId, join })
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
    sayChau: () => send(messages.chau()),
    publishNewspaper: (status) => send(messages.newspaper(status)),
    publishHowdy: (input) => send(messages.howdy(input)),
    publishSocial: (social) => send(messages.social(social)),
    signCheckpointProposal: (proposal) => messages.signCheckpointProposal(proposal),
    signCheckpointVote: (vote) => messages.signCheckpointVote(vote),
    publishCheckpointProposal: (proposal) => send(messages.checkpointProposal(proposal)),
    publishCheckpointVote: (vote) => send(messages.checkpointVote(vote)),
    publishCheckpointFinal: (event) => send(messages.checkpointFinal(event)),
    publishLedgerRequest: (target, subjects) => send(messages.ledgerRequest(target, subjects)),
    publishLedgerResponse: (requester, events) => send(messages.ledgerResponse(requester, events)),
    publishJourneyComplete: (completion) => send(messages.journeyComplete(completion)),
    on: (event, listener) => hub.on(event, listener),
  }
  options.signal?.addEventListener('abort', () => void speaker.stop(), { once: true })
  return speaker
}
