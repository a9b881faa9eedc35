/** Why an inbound message was dropped. Every drop is counted under exactly one reason. */
export type DropReason =
  /** Not one of the subscribed plaza topics (or a kind that does not belong on the topic). */
  | 'wrong-topic'
  /** `nara/plaza/stash_refresh`: subscribed like Go, but dead (WIRE.md §6.9). */
  | 'dead-topic'
  /** Payload over `maxPayloadBytes` (a PUBLISH that large is skipped by the transport unread). */
  | 'too-large'
  /** The claimed sender's bucket before verification, or the verified sender's bucket, is empty. */
  | 'rate-limited'
  | 'bad-utf8'
  | 'bad-json'
  | 'bad-schema'
  /**
   * Well-formed JSON that contradicts itself: the sender read from the raw bytes before decoding
   * (which picked the pre-verification budget) differs from the decoded one.
   */
  | 'malformed'
  /** No signature (or an unsigned kind while `acceptUnsigned` is off). */
  | 'unsigned'
  | 'bad-signature'
  /** No key known for the claimed sender (name or NaraID). */
  | 'unknown-sender'
  /** The message's key differs from the key pinned for that name/NaraID. */
  | 'key-conflict'
  /** The SyncEvent `id` differs from the one recomputed from its content. */
  | 'bad-id'
  /** A checkpoint final without enough distinct valid voters (each voter counted once). */
  | 'duplicate-voter'
  | 'stale'
  /**
   * A howdy From/To/Seq already seen within the howdy window: the peers' rounds after a rejoin
   * repeat Seqs in a healthy plaza, so it is not counted as `stale`.
   */
  | 'repeated-seq'
  | 'duplicate'
  /** A final checkpoint with < 5 listed signatures or < 2 distinct valid voter keys. */
  | 'too-few-signatures'
  /**
   * A final checkpoint without a valid signature of its subject by the key pinned to the subject
   * name by a signed claim.
   */
  | 'subject-unsigned'
  /** A checkpoint vote by its own subject (`attester == subject` or the same ID). */
  | 'self-vote'
  /** A NaraID in the message contradicts the NaraID bound to that name/key. */
  | 'id-mismatch'
  /** The sender named in one field differs from another (emitter vs actor, topic vs From...). */
  | 'sender-mismatch'
  /** The keyring is full and cannot pin a new sender. */
  | 'keyring-full'
  /**
   * The verify queue is full (worker verification cannot keep up), the claimed sender's class
   * pool is spent before verification, or the sender holds its whole share of a replay memory.
   */
  | 'overloaded'
  /**
   * A bug, or a signature check lost with a dead verify worker (the message is dropped, never
   * delivered unverified).
   */
  | 'internal-error'

/** Counter names for per-topic publish counts: newspaper and ledger topics are grouped. */
export function topicLabel(topic: string): string {
  if (topic.startsWith('nara/newspaper/')) return 'nara/newspaper/+'
  if (topic.startsWith('nara/ledger/')) {
    return topic.endsWith('/request') ? 'nara/ledger/+/request' : 'nara/ledger/+/response'
  }
  return topic
}

/** A frozen snapshot of every plaza counter (monotonic since `createPlaza`). */
export interface PlazaCounters {
  /** Messages received per kind (after the topic allow-list). */
  readonly received: Readonly<Record<string, number>>
  /** Messages delivered to listeners per kind. */
  readonly accepted: Readonly<Record<string, number>>
  /** Drops per {@link DropReason}. */
  readonly dropped: Readonly<Record<string, number>>
  /** Our own messages echoed back by the broker (ignored, not a drop). */
  readonly own: number
  /** Successful publishes per topic label. */
  readonly published: Readonly<Record<string, number>>
  /** Publishes lost (disconnected or failed) per topic label. */
  readonly publishDropped: Readonly<Record<string, number>>
  /** Successful connects, including the first. */
  readonly connects: number
  /** Successful connects after a connection loss or a failed first attempt. */
  readonly reconnects: number
  readonly connectFailures: number
  readonly disconnects: number
  /** Signature checks run, and the time spent in them (ms, wall time incl. worker round trips). */
  readonly verifications: number
  readonly verifyMs: number
  /**
   * Delivered messages whose (unsigned) NaraID another key also claims: the ID is disputed and
   * was not trusted (`senderId` undefined). Each also raised a `key-conflict` event.
   */
  readonly idConflicts: number
  /**
   * Topic-only (weak) pins replaced by a signed-name message that disagreed with them (another
   * key for the name, or another name for the key). Each also raised a `key-conflict` event.
   */
  readonly weakPinsSuperseded: number
}

type Mutable<T> = {
  -readonly [K in keyof T]: T[K] extends number ? number : Record<string, number>
}

/** The mutable counters behind {@link PlazaCounters}. Internal. */
export class Counters {
  /** Told of every run of signature checks (the receiver's `verified` event). */
  readonly #onVerified: ((count: number, ms: number) => void) | undefined

  constructor(onVerified?: (count: number, ms: number) => void) {
    this.#onVerified = onVerified
  }

  readonly #c: Mutable<PlazaCounters> = {
    received: {},
    accepted: {},
    dropped: {},
    own: 0,
    published: {},
    publishDropped: {},
    connects: 0,
    reconnects: 0,
    connectFailures: 0,
    disconnects: 0,
    verifications: 0,
    verifyMs: 0,
    idConflicts: 0,
    weakPinsSuperseded: 0,
  }

  received(kind: string): void {
    this.#c.received[kind] = (this.#c.received[kind] ?? 0) + 1
  }
  accepted(kind: string): void {
    this.#c.accepted[kind] = (this.#c.accepted[kind] ?? 0) + 1
  }
  dropped(reason: string): void {
    this.#c.dropped[reason] = (this.#c.dropped[reason] ?? 0) + 1
  }
  own(): void {
    this.#c.own += 1
  }
  published(topic: string): void {
    const label = topicLabel(topic)
    this.#c.published[label] = (this.#c.published[label] ?? 0) + 1
  }
  publishDropped(topic: string): void {
    const label = topicLabel(topic)
    this.#c.publishDropped[label] = (this.#c.publishDropped[label] ?? 0) + 1
  }
  bump(name: 'connects' | 'reconnects' | 'connectFailures' | 'disconnects'): void {
    this.#c[name] += 1
  }
  idConflict(): void {
    this.#c.idConflicts += 1
  }
  weakPinSuperseded(): void {
    this.#c.weakPinsSuperseded += 1
  }
  verified(count: number, ms: number): void {
    this.#c.verifications += count
    this.#c.verifyMs += ms
    this.#onVerified?.(count, ms)
  }

  snapshot(): PlazaCounters {
    const c = this.#c
    return Object.freeze({
      ...c,
      received: Object.freeze({ ...c.received }),
      accepted: Object.freeze({ ...c.accepted }),
      dropped: Object.freeze({ ...c.dropped }),
      published: Object.freeze({ ...c.published }),
      publishDropped: Object.freeze({ ...c.publishDropped }),
    })
  }
}
