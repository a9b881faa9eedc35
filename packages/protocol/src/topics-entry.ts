/**
 * @packageDocumentation
 *
 * `@nara/protocol/topics`: everything about plaza topics (WIRE.md §0, §1.3): the fixed strings,
 * builders, parsers, prefixes and the name rule. The common ones are also in `@nara/protocol`.
 *
 * @example
 * ```ts
 * import { parseLedgerTopic, parseNewspaperTopic } from '@nara/protocol/topics'
 *
 * console.log(parseNewspaperTopic('nara/newspaper/alice'), parseLedgerTopic('nara/ledger/bob/request'))
 * ```
 */

export * from './topics.js'
