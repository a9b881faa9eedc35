/**
 * The table of message kinds: one entry per kind a decoder returns, keyed by kind name. Every
 * per-kind decision of this package (verification, validity, content strings) and of its users
 * (the plaza's per-kind policies, the CLI's summaries and freshness) reads it instead of a
 * `switch`.
 */
import { defaultBackend } from '../backends/select.js'
import type { KeyLookup } from '../key-lookup.js'
import { reject, type Verdict } from '../verdict.js'
import { decided, runPlan, type VerificationPlan } from '../verification-plan.js'
import { chauKind } from './chau.js'
import { checkpointFinalKind } from './checkpoint-final.js'
import { checkpointProposalKind } from './checkpoint-proposal.js'
import { checkpointVoteKind } from './checkpoint-vote.js'
import { heyThereKind } from './hey-there.js'
import { howdyKind } from './howdy.js'
import { journeyCompleteKind } from './journey-complete.js'
import type { KindName, MessageKind, VerifyOptions } from './kind.js'
import { ledgerRequestKind } from './ledger-request.js'
import { ledgerResponseKind } from './ledger-response.js'
import { newspaperKind } from './newspaper.js'
import { observationKind } from './observation.js'
import { pingKind } from './ping.js'
import { seenKind } from './seen.js'
import { socialKind } from './social.js'
import { stashRefreshKind } from './stash-refresh.js'
import type { AnySyncEventSpec } from './sync-event-kind.js'

/** Every message kind, by name. */
export const KINDS: { readonly [K in KindName]: MessageKind<K> } = Object.freeze({
  hey_there: heyThereKind,
  chau: chauKind,
  social: socialKind,
  ping: pingKind,
  observation: observationKind,
  seen: seenKind,
  checkpoint_final: checkpointFinalKind,
  howdy: howdyKind,
  newspaper: newspaperKind,
  checkpoint_propose: checkpointProposalKind,
  checkpoint_vote: checkpointVoteKind,
  ledger_request: ledgerRequestKind,
  ledger_response: ledgerResponseKind,
  journey_complete: journeyCompleteKind,
  stash_refresh: stashRefreshKind,
})

/** The SyncEvent kinds by `svc` (`hey-there`, `checkpoint`...). */
export const SYNC_EVENT_SPECS: ReadonlyMap<string, AnySyncEventSpec> = new Map(
  [
    heyThereKind,
    chauKind,
    socialKind,
    pingKind,
    observationKind,
    seenKind,
    checkpointFinalKind,
  ].map((k) => [k.spec.svc, k.spec as unknown as AnySyncEventSpec]),
)

/** The kind entry of a kind name, or `undefined` for a name this package does not know. */
export function kindOf(name: string): MessageKind | undefined {
  return Object.hasOwn(KINDS, name) ? (KINDS[name as KindName] as MessageKind) : undefined
}

/** A `decodeMessage`/`decodeSyncEvent` result of `@nara/protocol` (structurally). */
export type DecodedLike =
  | { readonly ok: false; readonly reason: string; readonly detail?: string }
  | { readonly ok?: true; readonly kind: string; readonly message: unknown }

/**
 * Plans the verification of any decoded plaza message through its kind's `plan`. A failed
 * decode is `malformed`; kinds that carry no signature (ledger request/response,
 * journey_complete, stash_refresh) are `unsupported`.
 */
export function planDecoded(
  decoded: DecodedLike,
  keys: KeyLookup,
  options: VerifyOptions = {},
): VerificationPlan {
  if (decoded.ok === false) {
    const detail = decoded.detail ? ` (${decoded.detail})` : ''
    return decided(reject('malformed', `undecodable: ${decoded.reason}${detail}`))
  }
  const kind = kindOf(decoded.kind)
  if (kind === undefined) {
    return decided(reject('unsupported', `message kind "${decoded.kind}" carries no signature`))
  }
  return kind.plan(decoded as never, keys, options)
}

/** Verifies any decoded plaza message: `runPlan(planDecoded(...))`. */
export function verifyDecoded(
  decoded: DecodedLike,
  keys: KeyLookup,
  options: VerifyOptions = {},
): Verdict {
  return runPlan(planDecoded(decoded, keys, options), options.backend ?? defaultBackend)
}
