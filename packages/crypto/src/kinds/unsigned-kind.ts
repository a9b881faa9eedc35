/**
 * The shape of the kinds that carry no signature (ledger request/response, journey_complete,
 * stash_refresh): nothing authenticates them, so every plan is `unsupported`. A receiver that
 * acts on them does so on trust it has from elsewhere.
 */
import type { TopicKind } from '@nara/protocol'
import { reject } from '../verdict.js'
import { decided } from '../verification-plan.js'
import type { DecodedOf, KindName, MessageKind, NameIdClaim } from './kind.js'

/** What an unsigned kind module declares. */
export interface UnsignedSpec<K extends KindName & TopicKind> {
  readonly name: K
  readonly senderField: string
  sender(d: DecodedOf<K>): string
  ids?(d: DecodedOf<K>): readonly NameIdClaim[]
  summary(d: DecodedOf<K>): string
}

/** The {@link MessageKind} of an unsigned kind. */
export function unsignedKind<K extends KindName & TopicKind>(
  spec: UnsignedSpec<K>,
): MessageKind<K> {
  return Object.freeze({
    name: spec.name,
    topic: spec.name,
    svc: null,
    signed: false,
    senderField: spec.senderField,
    sender: spec.sender,
    ids: spec.ids ?? (() => []),
    timeNs: () => undefined,
    replayKey: () => undefined,
    plan: () => decided(reject('unsupported', `message kind "${spec.name}" carries no signature`)),
    summary: spec.summary,
  })
}
