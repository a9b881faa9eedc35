/**
 * The slice of `@nara/plaza` the agent uses, as a small interface: the agent's logic is tested
 * against a fake, and `speaker-port.ts` binds it to the real plaza.
 *
 * Everything the port emits has passed the plaza's verified inbound pipeline (decode, size and
 * rate limits, signature, key pin); what failed is reported as `drop` / `key-conflict`.
 */
import type {
  ChauSyncEvent,
  CheckpointPayload,
  CheckpointProposal,
  CheckpointSyncEvent,
  CheckpointVote,
  HeyThereSyncEvent,
  HowdyEvent,
  NaraStatus,
  SocialSyncEvent,
} from '@nara/protocol'

export interface PlazaEvents {
  hey_there: { message: HeyThereSyncEvent }
  chau: { message: ChauSyncEvent }
  howdy: { message: HowdyEvent }
  /**
   * `nameProof`: `signature` when a signed hey_there/chau/howdy/social pinned the name to the key
   * that signed this Status, `topic` when only the topic names it (the key is authenticated, the
   * name is not). `senderId`: the NaraID bound to that key, if any (never for `topic`).
   */
  newspaper: {
    from: string
    status: NaraStatus
    nameProof?: 'signature' | 'topic' | 'none'
    senderId?: string | undefined
  }
  social: { message: SocialSyncEvent }
  checkpoint_propose: { message: CheckpointProposal }
  checkpoint_vote: { message: CheckpointVote }
  /** `voters`: NaraIDs of the distinct voters whose signatures the plaza verified. */
  checkpoint_final: { message: CheckpointSyncEvent; voters: readonly string[] }
  ledger_request: { message: unknown }
  ledger_response: { message: unknown }
  journey_complete: { message: unknown }
  /** A message whose key differs from the pinned one (dropped). */
  'key-conflict': { name: string; topic: string }
  /** An inbound message dropped before reaching the agent (`detail`: the plaza's rule, if any). */
  drop: { reason: string; topic: string; kind?: string; claimedSender?: string; detail?: string }
  connected: { reconnect: boolean }
  /** Subscribed to every plaza topic after a connect (the plaza's join jitter starts). */
  subscribed: Record<string, never>
  /**
   * Our hey_there went out: `join` true for the one the plaza sends itself after its join jitter
   * (each (re)subscribe), false for one sent by {@link PlazaPort.sayHeyThere}.
   */
  'hey-there-sent': { join: boolean }
  disconnected: { reason?: string }
  /**
   * A connect attempt failed or the connection broke (`code`: the plaza's error code; `message`
   * names the broker without credentials). The reconnect loop goes on.
   */
  error: { code: string; message: string }
  /** A message went out (for the out-counters). */
  published: { topic: string }
  /**
   * A run of `count` signature checks took `seconds`. Only from a plaza that verifies for this
   * nara alone: a town's receiver verifies once for all its naras, and the town reports it.
   */
  verified: { count: number; seconds: number }
}

export type PlazaEventKind = keyof PlazaEvents

export interface HowdyDraft {
  To: string
  Seq: number
  You: HowdyEvent['You']
  Neighbors: HowdyEvent['Neighbors']
  Me: NaraStatus
}

export interface SocialDraft {
  type: 'tease' | 'observed' | 'gossip' | 'observation' | 'service'
  target: string
  target_id?: string
  reason: string
}

export interface PlazaPort {
  /** Connects (or keeps retrying in the background) and subscribes. Never throws for a down broker. */
  start(): Promise<void>
  /** Disconnects cleanly. */
  stop(): Promise<void>
  /**
   * Signed hey_there now (presence). The join hey_there after each (re)subscribe is the plaza's
   * own, after its jitter: see the `hey-there-sent` event.
   */
  sayHeyThere(): Promise<void>
  /** Signed chau; true when it went out (false: not connected, or the publish failed). */
  sayChau(): Promise<boolean>
  /** Signs the status over its exact bytes (Go field order) and publishes it. */
  publishNewspaper(status: NaraStatus): Promise<void>
  /** Signs `howdy:{me}:{To}:{Seq}` and publishes. */
  publishHowdy(howdy: HowdyDraft): Promise<void>
  /** Signed social SyncEvent on `nara/plaza/social`. */
  publishSocial(social: SocialDraft): Promise<void>
  /** Publishes our own proposal as signed by `AgentDeps.signProposal` (never signed again). */
  publishCheckpointProposal(proposal: CheckpointProposal): Promise<void>
  /** Signs the vote (attester = us) and publishes it. */
  publishCheckpointVote(vote: CheckpointVote): Promise<void>
  /** Publishes the final as an unsigned SyncEvent; returns its id. */
  publishCheckpointFinal(payload: CheckpointPayload): string
  /** Public key pinned for a NaraID (base64). */
  keyById(naraId: string): string | undefined
  /**
   * Whether `name` has standing: its key pin is durable in the plaza keyring (loaded from
   * keyring.json, or confirmed by a verified message long enough after the pin).
   */
  hasStanding(name: string): boolean
  /** The broker in use (or tried next), without credentials. */
  brokerUrl(): string
  on<K extends PlazaEventKind>(kind: K, listener: (event: PlazaEvents[K]) => void): () => void
  /** Whether the broker connection is up. */
  connected(): boolean
  /**
   * Inbound messages the pipeline finished so far (delivered, own echoes and drops included):
   * while it grows, the pipeline is alive (`/healthz`).
   */
  inboundSeen(): number
}
