/**
 * MQTT topics of the plaza (WIRE.md §0, §1.3): exact strings, builders, parsers, the twelve
 * subscriptions in Go's order, and per-topic publish QoS.
 */

/** Fixed topic strings. Note `hey_there` with an underscore. */
export const TOPICS = {
  heyThere: 'nara/plaza/hey_there',
  chau: 'nara/plaza/chau',
  howdy: 'nara/plaza/howdy',
  social: 'nara/plaza/social',
  journeyComplete: 'nara/plaza/journey_complete',
  stashRefresh: 'nara/plaza/stash_refresh',
  /** Subscription filter for every newspaper; publish on {@link newspaperTopic}. */
  newspaperWildcard: 'nara/newspaper/#',
  checkpointPropose: 'nara/checkpoint/propose',
  checkpointVote: 'nara/checkpoint/vote',
  checkpointFinal: 'nara/checkpoint/final',
} as const

import { InvalidNameError } from './errors.js'

export const NEWSPAPER_PREFIX = 'nara/newspaper/'
export const LEDGER_PREFIX = 'nara/ledger/'

/**
 * Longest accepted nara name, in UTF-8 bytes. Go sets no limit; 64 bytes covers hostnames (63)
 * and generated names (`adjective-noun-123`) and keeps topics and client IDs short.
 */
export const MAX_NAME_BYTES = 64

export type TopicKind =
  | 'hey_there'
  | 'chau'
  | 'howdy'
  | 'social'
  | 'journey_complete'
  | 'stash_refresh'
  | 'newspaper'
  | 'ledger_request'
  | 'ledger_response'
  | 'checkpoint_propose'
  | 'checkpoint_vote'
  | 'checkpoint_final'

/**
 * True when `name` can be used as a single MQTT topic level and round-trips through
 * {@link newspaperTopic}/{@link parseNewspaperTopic}: 1..{@link MAX_NAME_BYTES} UTF-8 bytes, well
 * formed UTF-16 (no lone surrogates), and none of `/`, `+`, `#`, NUL, other C0/C1 control
 * characters or DEL (MQTT forbids or discourages them in topics).
 */
export function isValidName(name: string): boolean {
  if (typeof name !== 'string' || name.length === 0) return false
  let bytes = 0
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i)
    if (c < 0x20 || (c >= 0x7f && c <= 0x9f) || c === 0x2f || c === 0x2b || c === 0x23) {
      return false
    }
    if (c < 0x80) bytes += 1
    else if (c < 0x800) bytes += 2
    else if (c >= 0xd800 && c <= 0xdbff) {
      const d = name.charCodeAt(i + 1)
      if (!(d >= 0xdc00 && d <= 0xdfff)) return false
      bytes += 4
      i++
    } else if (c >= 0xdc00 && c <= 0xdfff) return false
    else bytes += 3
    if (bytes > MAX_NAME_BYTES) return false
  }
  return true
}

function checkedName(name: string, what: string): string {
  if (!isValidName(name)) throw new InvalidNameError(`${what}: invalid nara name`)
  return name
}

/** `nara/newspaper/{name}`; throws `InvalidNameError` (a `RangeError`) for a name {@link isValidName} refuses. */
export function newspaperTopic(name: string): string {
  return NEWSPAPER_PREFIX + checkedName(name, 'newspaperTopic')
}

/** The sender name of a newspaper topic, or `null` (not a newspaper topic, or a bad name). */
export function parseNewspaperTopic(topic: string): string | null {
  if (typeof topic !== 'string' || !topic.startsWith(NEWSPAPER_PREFIX)) return null
  const name = topic.slice(NEWSPAPER_PREFIX.length)
  return isValidName(name) ? name : null
}

/** `nara/ledger/{name}/request` (published to the nara asked). */
export function ledgerRequestTopic(name: string): string {
  return `${LEDGER_PREFIX + checkedName(name, 'ledgerRequestTopic')}/request`
}

/** `nara/ledger/{name}/response` (published to the requester). */
export function ledgerResponseTopic(name: string): string {
  return `${LEDGER_PREFIX + checkedName(name, 'ledgerResponseTopic')}/response`
}

/** Parses a ledger topic into its kind and name, or `null`. */
export function parseLedgerTopic(
  topic: string,
): { kind: 'ledger_request' | 'ledger_response'; name: string } | null {
  if (typeof topic !== 'string' || !topic.startsWith(LEDGER_PREFIX)) return null
  const rest = topic.slice(LEDGER_PREFIX.length)
  let kind: 'ledger_request' | 'ledger_response'
  let name: string
  if (rest.endsWith('/request')) {
    kind = 'ledger_request'
    name = rest.slice(0, -'/request'.length)
  } else if (rest.endsWith('/response')) {
    kind = 'ledger_response'
    name = rest.slice(0, -'/response'.length)
  } else return null
  return isValidName(name) ? { kind, name } : null
}

/** The twelve subscriptions a Go nara makes on every connect, in its order (WIRE.md §1.3). */
export function subscriptionTopics(me: string): string[] {
  return [
    TOPICS.heyThere,
    TOPICS.chau,
    TOPICS.howdy,
    TOPICS.social,
    TOPICS.journeyComplete,
    TOPICS.stashRefresh,
    TOPICS.newspaperWildcard,
    ledgerRequestTopic(me),
    ledgerResponseTopic(me),
    TOPICS.checkpointPropose,
    TOPICS.checkpointVote,
    TOPICS.checkpointFinal,
  ]
}

const FIXED: ReadonlyMap<string, TopicKind> = new Map<string, TopicKind>([
  [TOPICS.heyThere, 'hey_there'],
  [TOPICS.chau, 'chau'],
  [TOPICS.howdy, 'howdy'],
  [TOPICS.social, 'social'],
  [TOPICS.journeyComplete, 'journey_complete'],
  [TOPICS.stashRefresh, 'stash_refresh'],
  [TOPICS.checkpointPropose, 'checkpoint_propose'],
  [TOPICS.checkpointVote, 'checkpoint_vote'],
  [TOPICS.checkpointFinal, 'checkpoint_final'],
])

/** The kind of a concrete (non-wildcard) plaza topic, or `null` when it is not one. */
export function classifyTopic(topic: string): TopicKind | null {
  if (typeof topic !== 'string') return null
  const fixed = FIXED.get(topic)
  if (fixed !== undefined) return fixed
  if (parseNewspaperTopic(topic) !== null) return 'newspaper'
  return parseLedgerTopic(topic)?.kind ?? null
}

/** Publish QoS: 1 for the three checkpoint topics, 0 for everything else (WIRE.md §0). */
export function topicQos(topic: string): 0 | 1 {
  const kind = classifyTopic(topic)
  return kind === 'checkpoint_propose' || kind === 'checkpoint_vote' || kind === 'checkpoint_final'
    ? 1
    : 0
}
