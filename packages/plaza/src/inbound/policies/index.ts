/**
 * The table of policies, keyed by the message kind names `@nara/protocol` and `@nara/crypto`
 * use. A decoded kind without a policy (the gossip SyncEvents ping/observation/seen, or a `svc`
 * on a topic it does not belong to) is dropped as `wrong-topic`.
 */
import type { DecodedMessage } from '@nara/protocol'
import type { KindPolicy } from '../policy.js'
import { proposalPolicy, votePolicy } from './checkpoint-attestation.js'
import { checkpointFinalPolicy } from './checkpoint-final.js'
import { howdyPolicy } from './howdy.js'
import { newspaperPolicy } from './newspaper.js'
import { chauPolicy, heyTherePolicy } from './presence.js'
import { socialPolicy } from './social.js'
import { journeyCompletePolicy, ledgerRequestPolicy, ledgerResponsePolicy } from './unsigned.js'

type Kind = DecodedMessage['kind']
/** Each kind's policy, typed with that kind's decoded message. */
type PolicyTable = { readonly [K in Kind]?: KindPolicy<Extract<DecodedMessage, { kind: K }>> }

const TABLE: PolicyTable = {
  hey_there: heyTherePolicy,
  chau: chauPolicy,
  social: socialPolicy,
  howdy: howdyPolicy,
  newspaper: newspaperPolicy,
  checkpoint_propose: proposalPolicy,
  checkpoint_vote: votePolicy,
  checkpoint_final: checkpointFinalPolicy,
  ledger_request: ledgerRequestPolicy,
  ledger_response: ledgerResponsePolicy,
  journey_complete: journeyCompletePolicy,
}

/** The policy of every kind the plaza delivers (each admits only its own kind's messages). */
export const POLICIES = Object.freeze(TABLE) as Readonly<Partial<Record<Kind, KindPolicy>>>
