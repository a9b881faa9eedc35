/**
 * ledger_request, ledger_response and journey_complete carry no signature at all: delivered
 * with `authenticated: false` (the sender is a claim, its rate-limit bucket apart from the real
 * name's) when listed in `acceptUnsigned`, else dropped as `unsigned`. No freshness, no replay
 * memory, no pin.
 */
import type { VerificationPlan } from '@nara/crypto'
import type { JourneyCompletion, LedgerRequest, LedgerResponse } from '@nara/protocol'
import type { Admitted, EventFacts, InboundContext, KindPolicy } from '../policy.js'

type Unsigned =
  | { kind: 'ledger_request'; message: LedgerRequest; name: string }
  | { kind: 'ledger_response'; message: LedgerResponse; name: string }
  | { kind: 'journey_complete'; message: JourneyCompletion }

/** Nothing to verify: the verdict is the policy's own. */
const NOTHING_TO_VERIFY: VerificationPlan = Object.freeze({
  checks: Object.freeze([]),
  finish: () => ({ verdict: 'accept' as const }),
})

const CLAIM: EventFacts = Object.freeze({
  senderId: undefined,
  nameProof: 'none',
  voters: undefined,
})

/** The sender is a claim: no ID, no name proof. */
const proved = (): EventFacts => CLAIM

function admit(
  decoded: Unsigned,
  topic: string,
  _nowMs: number,
  ctx: InboundContext,
): Admitted | undefined {
  const kind = decoded.kind
  const sender = kind === 'journey_complete' ? decoded.message.reported_by : decoded.message.From
  if (!ctx.acceptUnsigned.has(kind)) return void ctx.report.drop('unsigned', topic, kind, sender)
  return {
    kind,
    topic,
    sender,
    message: decoded.message,
    plan: NOTHING_TO_VERIFY,
    offeredKey: undefined,
    pin: 'none',
    firstUse: false,
    claimedId: undefined,
    replay: undefined,
    replayKey: '',
    repeated: 'duplicate',
    authenticated: false,
    eventId: undefined,
  }
}

function unsignedPolicy<K extends Unsigned['kind']>(kind: K, senderField: string) {
  const policy: KindPolicy<Unsigned> = { kind, senderField, senderSigned: false, admit, proved }
  return policy as KindPolicy<Extract<Unsigned, { kind: K }>>
}

export const ledgerRequestPolicy = unsignedPolicy('ledger_request', 'From')
export const ledgerResponsePolicy = unsignedPolicy('ledger_response', 'From')
export const journeyCompletePolicy = unsignedPolicy('journey_complete', 'reported_by')
