/**
 * What one message kind is, for a sender and for a receiver: the entry every per-kind table of
 * this package (and of the plaza, the CLI) is keyed by. One module per kind implements it
 * (`hey-there.ts`, `howdy.ts`, ...); `table.ts` lists them all.
 */
import type { DecodedKind, DecodedMessage, TopicKind } from '@nara/protocol'
import type { Ed25519Backend } from '../backends/backend.js'
import { fromBase64Strict } from '../bytes.js'
import type { KeyLookup } from '../key-lookup.js'
import { accept, reject, type Verdict } from '../verdict.js'
import type { SignatureCheck, VerificationPlan } from '../verification-plan.js'

/** The name of a message kind: the `kind` of a decoded message (`hey_there`, `howdy`, ...). */
export type KindName = DecodedKind

/** The decoded message of kind `K` (`{ kind, message }`, plus `name` for ledger kinds). */
export type DecodedOf<K extends KindName> = Extract<DecodedMessage, { kind: K }>

/** Options of the message verifiers. */
export interface VerifyOptions {
  /** Ed25519 implementation (default: noble). */
  readonly backend?: Ed25519Backend
  /**
   * Reject a message whose only key is the one it carries (`self-certified`) instead of
   * accepting it as first use. Default `false` (trust on first use; the caller pins).
   */
  readonly requireKnownSender?: boolean
}

/** A name/NaraID pair a message claims, with the field the ID came from. */
export interface NameIdClaim {
  readonly name: string | undefined
  readonly id: string | undefined
  /** Where the ID sits in the message (`hey_there.ID`, `social.target_id`...). */
  readonly field: string
  /** True when a signature covers the ID (attestations); false for the unsigned `*_id` fields. */
  readonly signed: boolean
}

/** One message kind: what a receiver (plaza, CLI) needs to know of it. */
export interface MessageKind<K extends KindName = KindName> {
  /** The kind name (`hey_there`, `checkpoint_final`...). */
  readonly name: K
  /** The topic kind it arrives on, or `null` for gossip-only SyncEvents (ping, seen...). */
  readonly topic: TopicKind | null
  /** The SyncEvent `svc` of the kind, when it is a SyncEvent. */
  readonly svc: string | null
  /** Whether the kind carries a signature at all (ledger, journey, stash_refresh do not). */
  readonly signed: boolean
  /** The sender the message claims (`""` when it names none): what the verdict speaks for. */
  sender(decoded: DecodedOf<K>): string
  /** The field holding that sender (`emitter`, `From`, the topic...). */
  readonly senderField: string
  /** Every name/NaraID pair the message claims. */
  ids(decoded: DecodedOf<K>): readonly NameIdClaim[]
  /** The message's own time in Unix nanoseconds, when it carries one (freshness). */
  timeNs(decoded: DecodedOf<K>): bigint | undefined
  /**
   * What identifies a repeat of this message (replay memory): the event ID of SyncEvents,
   * `From/To/Seq` of a howdy... `undefined` when the kind has none (newspapers: hash the
   * `statusBytes`). Trust it only after `plan` accepted (a plan recomputes event IDs).
   */
  replayKey(decoded: DecodedOf<K>): string | undefined
  /** Plans its verification: every check without a signature, plus the signature checks. */
  plan(decoded: DecodedOf<K>, keys: KeyLookup, options?: VerifyOptions): VerificationPlan
  /** A one-line human summary (no key material beyond a short fingerprint). */
  summary(decoded: DecodedOf<K>): string
}

/** A 64-byte signature from its wire text (canonical standard base64), or `null`. */
export function signatureBytes(text: string | undefined): Uint8Array | null {
  const sig = fromBase64Strict(text ?? '')
  return sig !== null && sig.length === 64 ? sig : null
}

/**
 * The plan of one signature check by the sender's key: accept `from` when it verifies. A class,
 * so that a plan is one object and its `finish` a shared method (no closure per message).
 */
class SingleCheckPlan implements VerificationPlan {
  readonly checks: readonly SignatureCheck[]
  readonly publicKey: Uint8Array
  readonly firstUse: boolean
  readonly eventId: string | undefined
  readonly #from: string
  readonly #failure: string

  constructor(
    check: SignatureCheck,
    firstUse: boolean,
    from: string,
    failure: string,
    id?: string,
  ) {
    this.checks = [check]
    this.publicKey = check.publicKey
    this.firstUse = firstUse
    this.eventId = id
    this.#from = from
    this.#failure = failure
  }

  finish(results: readonly boolean[]): Verdict {
    return results[0] === true
      ? accept(this.#from)
      : reject('bad-signature', this.#failure, this.#from)
  }
}

/** One signature check by the sender's key: accept `from` when it verifies. */
export function singleCheck(
  signature: Uint8Array,
  message: Uint8Array,
  key: { key: Uint8Array; firstUse?: boolean },
  from: string,
  failure: string,
  eventId?: string,
): VerificationPlan {
  const check = { signature, message, publicKey: key.key }
  return new SingleCheckPlan(check, key.firstUse ?? false, from, failure, eventId)
}

/** Shortens `s` to `n` characters with an ellipsis. */
export function clip(s: string, n = 60): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s
}

/** An unsigned `*_id` claim. */
export function unsignedId(name: string | undefined, id: string | undefined, field: string) {
  return { name, id, field, signed: false } satisfies NameIdClaim
}
