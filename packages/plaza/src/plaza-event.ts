import type {
  ChauSyncEvent,
  CheckpointProposal,
  CheckpointSyncEvent,
  CheckpointVote,
  HeyThereSyncEvent,
  HowdyEvent,
  JourneyCompletion,
  LedgerRequest,
  LedgerResponse,
  NewspaperMessage,
  SocialSyncEvent,
} from '@nara/protocol'

/** Message kinds delivered to listeners (one per plaza topic, minus the dead stash_refresh). */
export interface PlazaMessageMap {
  hey_there: HeyThereSyncEvent
  chau: ChauSyncEvent
  howdy: HowdyEvent
  newspaper: NewspaperMessage
  social: SocialSyncEvent
  checkpoint_propose: CheckpointProposal
  checkpoint_vote: CheckpointVote
  checkpoint_final: CheckpointSyncEvent
  ledger_request: LedgerRequest
  ledger_response: LedgerResponse
  journey_complete: JourneyCompletion
}

export type PlazaMessageKind = keyof PlazaMessageMap

export const PLAZA_MESSAGE_KINDS: readonly PlazaMessageKind[] = Object.freeze([
  'hey_there',
  'chau',
  'howdy',
  'newspaper',
  'social',
  'checkpoint_propose',
  'checkpoint_vote',
  'checkpoint_final',
  'ledger_request',
  'ledger_response',
  'journey_complete',
])

/**
 * One accepted inbound message. Deeply frozen (Uint8Array fields such as a newspaper's
 * `statusBytes` cannot be frozen by JavaScript; they are private copies, do not mutate them).
 */
export interface PlazaEvent<K extends PlazaMessageKind = PlazaMessageKind> {
  readonly kind: K
  readonly topic: string
  /**
   * Who sent it (see the README's table "What an event proves"). hey_there/chau/howdy: `From`,
   * whose pinned key signed a text that contains `From`. social: `emitter`, signed with the key
   * pinned for that name. newspaper: the topic name; its key signed the Status bytes (the
   * signature itself covers no name) and is the key pinned for that name: by a signed
   * hey_there/chau/howdy/social (`nameProof: 'signature'`), or only by an earlier newspaper on
   * that topic when neither name nor key was known (`nameProof: 'topic'`).
   * proposal/vote: `attester`, verified with the key pinned to that name (or, for a name without
   * a pin, the key a signed claim bound to `attester_id`). final: `subject`, whose own key
   * (pinned to that name) signed the values with ≥ 1 other voter key; not who sent it.
   * Unauthenticated kinds: the CLAIMED `From`/`reported_by`.
   */
  readonly sender: string
  /**
   * What binds `sender` to the key that signed (README "What an event proves"):
   * - `signature`: a signature by that key covers the name (hey_there, chau, howdy, social), or
   *   the name was already pinned to that key by such a message (newspaper of a pinned name;
   *   proposal/vote whose `attester` name is pinned; a final, signed by its subject's pinned key);
   * - `topic`: a newspaper whose name only its topic vouches for (a topic-only pin: the key is
   *   authenticated, the name is not; a replayer who was first could have claimed it);
   * - `none`: the name is a claim (unauthenticated kinds, proposals/votes by an unpinned
   *   attester name).
   */
  readonly nameProof: NameProof
  /**
   * The sender's NaraID, only when the keyring binds it to the sender's key and it is not
   * disputed (another key claimed it too). Undefined otherwise, even if the message carries one.
   */
  readonly senderId: string | undefined
  /** False only for kinds that carry no signature at all (ledger_*, journey_complete). */
  readonly authenticated: boolean
  /** The recomputed SyncEvent ID (hey_there, chau, social, checkpoint_final). */
  readonly eventId: string | undefined
  /** For checkpoint finals: NaraIDs of the distinct voters whose signatures verified. */
  readonly voters: readonly string[] | undefined
  /** Clock time of receipt, ms. */
  readonly receivedAtMs: number
  readonly message: PlazaMessageMap[K]
}

/** How a {@link PlazaEvent}'s `sender` name is bound to the key that spoke. */
export type NameProof = 'signature' | 'topic' | 'none'

/** A dropped inbound message (the `drop` event). */
export interface DropEvent {
  readonly reason: string
  readonly topic: string
  readonly kind: string | undefined
  /** The claimed sender, if known at the point of the drop (unverified!). */
  readonly claimedSender: string | undefined
  readonly detail: string | undefined
}

/**
 * A message whose key contradicts a pinned key (the `key-conflict` event). With label `naraId`
 * the message may still have been delivered: its signed part verified and only its unsigned ID
 * collided with another key's, which makes that ID disputed (counted in `idConflicts`).
 */
export interface KeyConflictEvent {
  readonly kind: string
  readonly topic: string
  /**
   * `name` or `naraId`: which pinned label the message contradicts. `publicKey`: the key
   * already speaks for another name (one name per key).
   */
  readonly label: 'name' | 'naraId' | 'publicKey'
  readonly name: string | undefined
  readonly naraId: string | undefined
  /** The pinned key and the key the message offered (base64). */
  readonly pinnedKey: string
  readonly offeredKey: string
  /**
   * Set when a signed-name message (hey_there, chau, howdy, social) REPLACED a topic-only
   * (weak) pin it disagrees with: the message was delivered and this pin is gone. `label`
   * `name`: the name was weakly pinned to `weakPin.publicKey`; `publicKey`: the key was weakly
   * pinned to `weakPin.name`.
   */
  readonly weakPin?: { readonly name: string; readonly publicKey: string }
}

/** Deep-freezes plain objects and arrays; typed arrays are left as they are. */
export function deepFreeze<T>(value: T): T {
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return value
  if (!Object.isFrozen(value)) freezeTree(value as object)
  return value
}

/** Freezes `obj` and every object under it (primitives are skipped without a call). */
function freezeTree(obj: object): void {
  if (Array.isArray(obj)) {
    for (let i = 0; i < obj.length; i++) {
      const v: unknown = obj[i]
      if (v !== null && typeof v === 'object') deepFreeze(v)
    }
  } else {
    const record = obj as Record<string, unknown>
    for (const key of Object.keys(record)) {
      const v = record[key]
      if (v !== null && typeof v === 'object') deepFreeze(v)
    }
  }
  Object.freeze(obj)
}

/** The payload key of the flat SyncEvent kinds (every envelope field a primitive but this one). */
const FLAT_PAYLOAD: Partial<Record<PlazaMessageKind, string>> = {
  social: 'social',
  hey_there: 'hey_there',
  chau: 'chau',
}

/**
 * Deep-freezes a delivered event. A flat SyncEvent (social, hey_there, chau: the decoder gives
 * primitives everywhere but the payload object) is frozen without walking its envelope.
 */
export function freezeEvent(event: PlazaEvent): PlazaEvent {
  const key = FLAT_PAYLOAD[event.kind]
  const message = event.message as unknown as Record<string, unknown>
  if (key === undefined || Object.isFrozen(message)) return deepFreeze(event)
  deepFreeze(message[key])
  Object.freeze(message)
  return Object.freeze(event)
}
