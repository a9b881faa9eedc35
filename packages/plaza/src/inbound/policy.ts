/**
 * What a message kind's policy is: the plaza's rules for one kind, in one small module under
 * `policies/`. Before verification a policy checks freshness and its replay memory (read only),
 * asks `@nara/crypto` for the verification plan, and says how the sender is pinned; after a valid
 * signature (and the pinning and replay memory the driver runs for it) it states what the
 * message proves and records its presence effects. Policies never remember anything before the
 * signature verified, and never call back into the driver.
 */
import {
  type KeyLookup as CryptoKeyring,
  type Ed25519Backend,
  planDecoded,
  type Verdict,
  type VerificationPlan,
} from '@nara/crypto'
import type { Sha256Backend } from '@nara/crypto/backends'
import type { DecodedMessage } from '@nara/protocol'
import type { DropReason } from '../counters.js'
import type { ExpiringSet } from '../expiring-set.js'
import type { Keyring } from '../keyring.js'
import type { PlazaEvent, PlazaMessageKind } from '../plaza-event.js'
import type { Pinning } from './pinning.js'
import type { ReplayMemories } from './replay-memories.js'
import type { InboundReport } from './report.js'

/** How a verified message's sender is pinned (see `pinning.ts`). */
export type PinRule =
  /** Nothing to pin (finals, unsigned kinds). */
  | 'none'
  /** A signed-name claim: pin the key on first use (provisional) or confirm it; bind the ID. */
  | 'sender'
  /** A newspaper of a name no signed claim pinned: a topic-only (weak) pin. */
  | 'topic'
  /** An attestation: the key that signed it claims its SIGNED `attester_id` (binds it). */
  | 'signed-id'

/** A message a policy admitted to verification: everything the driver needs, as data. */
export interface Admitted {
  readonly kind: PlazaMessageKind
  readonly topic: string
  /** The claimed sender: the event's `sender` once delivered. */
  readonly sender: string
  readonly message: DecodedMessage['message']
  /** Crypto's plan: its checks run inline or in the pool, its `finish` gives the verdict. */
  readonly plan: VerificationPlan
  /** The key the message carries (base64), for key-conflict events. */
  readonly offeredKey: string | undefined
  readonly pin: PinRule
  /** With `pin: 'sender'`: the key came from the message (or a topic-only pin) and is new. */
  readonly firstUse: boolean
  /** With `pin: 'sender'`: the unsigned NaraID the message claims; `'signed-id'`: the signed one. */
  readonly claimedId: string | undefined
  /** Where the replay key is remembered once verified (undefined: not remembered). */
  readonly replay: ExpiringSet | undefined
  readonly replayKey: string
  /** The drop reason of a replay key already present when it is remembered. */
  readonly repeated: DropReason
  /** False only for kinds without any signature (delivered with `authenticated: false`). */
  readonly authenticated: boolean
  /** The recomputed SyncEvent ID, when the kind has one. */
  readonly eventId: string | undefined
}

/** What policies read: options, collaborators and the replay memories. */
export interface InboundContext {
  readonly keyring: Keyring
  readonly backend: Ed25519Backend
  /** `{ backend }`, the options every plan is asked with (one object, not one per message). */
  readonly planOptions: { readonly backend: Ed25519Backend }
  /** The backend's SHA-256 (native for the node/sodium backends). */
  readonly hash: Sha256Backend
  readonly freshnessWindowMs: number
  readonly howdyNeedsHeyThere: boolean
  readonly acceptUnsigned: ReadonlySet<PlazaMessageKind>
  readonly memories: ReplayMemories
  readonly pinning: Pinning
  readonly report: InboundReport
}

/** The facts of a delivered event that only its kind knows. */
export type EventFacts = Pick<PlazaEvent, 'senderId' | 'nameProof' | 'voters'>

/** The plaza's rules for one message kind. */
export interface KindPolicy<M extends DecodedMessage = DecodedMessage> {
  readonly kind: M['kind']
  /**
   * The JSON field whose string value names the claimed sender in the raw bytes (read before
   * decoding, to pick the pre-verification budget; a dotted path for a nested field); undefined
   * when the topic names it (newspaper).
   */
  readonly senderField: string | undefined
  /** Whether the claimed sender's own key authenticates it. */
  readonly senderSigned: boolean
  /** Before verification: admits the message (as data), or drops it and returns undefined. */
  admit(decoded: M, topic: string, nowMs: number, ctx: InboundContext): Admitted | undefined
  /**
   * Whether finishing `a` leaves untouched what another message's admission reads (no new pin,
   * no presence), so its inline check may wait for the end of the turn (`holdInlineChecks`).
   * Absent: never; a message of this kind first finishes every held one.
   */
  holdable?(a: Admitted): boolean
  /**
   * After a valid signature, before pinning: a check that needs the message authenticated (it
   * may record what it learned). False drops the message (the policy counted the drop).
   */
  verified?(a: Admitted, atMs: number, ctx: InboundContext): boolean
  /**
   * After a valid signature, the pinning (`senderId` is what it trusted) and the replay memory:
   * what the message proves, and its presence effects.
   */
  proved(
    a: Admitted,
    verdict: Verdict,
    senderId: string | undefined,
    atMs: number,
    ctx: InboundContext,
  ): EventFacts
}

const NS_PER_MS = 1_000_000n

/** A SyncEvent `ts` (ns) within ±`freshnessWindowMs` of the clock. */
export function isFresh(tsNs: bigint, nowMs: number, ctx: InboundContext): boolean {
  return Math.abs(Number(tsNs / NS_PER_MS) - nowMs) <= ctx.freshnessWindowMs
}

/**
 * Crypto's plan for `decoded` against `keyring` (the plaza's, or a view of it); when crypto
 * decided without any signature check (always a reject), drops the message and returns undefined.
 */
export function planOrDrop(
  decoded: DecodedMessage,
  topic: string,
  claimed: string,
  offeredKey: string | undefined,
  ctx: InboundContext,
  keyring: CryptoKeyring = ctx.keyring,
): VerificationPlan | undefined {
  const vp = planDecoded(decoded, keyring, ctx.planOptions)
  if (vp.checks.length > 0) return vp
  ctx.report.rejected(vp.finish([]), topic, decoded.kind, claimed, offeredKey)
  return undefined
}
