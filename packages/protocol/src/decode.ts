/**
 * The single entry point for untrusted bytes: size cap, UTF-8 check, strict lossless JSON, the
 * schema of the topic's message kind. Never throws; every failure is a reason code.
 */
import { isUtf8 } from 'node:buffer'
import { copyOf, copyTextSpan } from './byte-copy.js'
import {
  type CheckpointProposal,
  type CheckpointVote,
  checkpointProposalDecoder,
  checkpointVoteDecoder,
} from './checkpoint.js'
import { type HowdyEvent, howdyEventDecoder } from './howdy.js'
import { type JourneyCompletion, journeyCompletionDecoder } from './journey.js'
import {
  type LedgerRequest,
  type LedgerResponse,
  ledgerRequestDecoder,
  ledgerResponseDecoder,
} from './ledger.js'
import { JsonObject, type JsonValue, parseJson } from './lossless.js'
import { type NewspaperMessage, newspaperEnvelopeDecoder } from './newspaper.js'
import { fastNewspaper } from './newspaper-fast.js'
import type {
  ChauSyncEvent,
  CheckpointSyncEvent,
  HeyThereSyncEvent,
  ObservationSyncEvent,
  PingSyncEvent,
  SeenSyncEvent,
  SocialSyncEvent,
  SyncEvent,
} from './sync-event.js'
import { syncEventDecoder } from './sync-event-decoder.js'
import { fastSyncEvent } from './sync-event-fast.js'
import { classifyTopic, parseLedgerTopic, parseNewspaperTopic, type TopicKind } from './topics.js'
import { type Dec, runDecoder } from './tree-decoder.js'

/** Default payload cap: 64 KiB. Go sends ~1-3 KiB newspapers and howdys of a few KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024

/** Why a payload was refused. */
export type DecodeReason =
  /** Payload larger than `maxBytes`. */
  | 'too-large'
  /** Topic is not a plaza topic, or the payload kind does not belong on it. */
  | 'wrong-topic'
  /** Payload bytes are not valid UTF-8 (Go would substitute U+FFFD; we refuse). */
  | 'bad-utf8'
  /** Not strict JSON: syntax, duplicate keys, nesting deeper than 64, trailing data. */
  | 'bad-json'
  /** Valid JSON that does not fit the message schema (types, ranges, case-variant keys...). */
  | 'bad-schema'

export interface DecodeOptions {
  /** Largest accepted payload, in bytes (default {@link DEFAULT_MAX_PAYLOAD_BYTES}). */
  maxBytes?: number
}

/** A successfully decoded message, by kind. */
export type DecodedMessage =
  | { kind: 'hey_there'; message: HeyThereSyncEvent }
  | { kind: 'chau'; message: ChauSyncEvent }
  | { kind: 'social'; message: SocialSyncEvent }
  | { kind: 'ping'; message: PingSyncEvent }
  | { kind: 'observation'; message: ObservationSyncEvent }
  | { kind: 'seen'; message: SeenSyncEvent }
  | { kind: 'checkpoint_final'; message: CheckpointSyncEvent }
  | { kind: 'howdy'; message: HowdyEvent }
  | { kind: 'newspaper'; message: NewspaperMessage }
  | { kind: 'checkpoint_propose'; message: CheckpointProposal }
  | { kind: 'checkpoint_vote'; message: CheckpointVote }
  /** `name` is the nara the request was addressed to (from the topic). */
  | { kind: 'ledger_request'; message: LedgerRequest; name: string }
  /** `name` is the requester the response was addressed to (from the topic). */
  | { kind: 'ledger_response'; message: LedgerResponse; name: string }
  | { kind: 'journey_complete'; message: JourneyCompletion }
  /** Dead topic (WIRE.md §6.9): Go ignores every message; the payload is not parsed. */
  | { kind: 'stash_refresh'; message: null }

export type DecodedKind = DecodedMessage['kind']

/**
 * A refused payload. `topic` is the topic kind `decodeMessage` classified the topic as (absent
 * when the topic is not a plaza topic, and from `decodeSyncEvent`), so a receiver counts drops
 * by topic kind without classifying the topic again. (On success, `kind` is that topic kind.)
 */
export type DecodeFailure = {
  ok: false
  reason: DecodeReason
  detail?: string
  topic?: TopicKind
}
export type DecodeResult = ({ ok: true } & DecodedMessage) | DecodeFailure

const SVC_KIND = {
  'hey-there': 'hey_there',
  chau: 'chau',
  social: 'social',
  ping: 'ping',
  observation: 'observation',
  seen: 'seen',
  checkpoint: 'checkpoint_final',
} as const

function fail(reason: DecodeReason, detail?: string): DecodeFailure {
  return detail === undefined ? { ok: false, reason } : { ok: false, reason, detail }
}

/** The payload as a Buffer (itself, or a view of the same bytes). */
function asBuffer(payload: Uint8Array): Buffer {
  return Buffer.isBuffer(payload)
    ? payload
    : Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength)
}

/** Why the payload cannot be read (too large, not UTF-8), or undefined. */
function refusal(payload: Buffer, options: DecodeOptions | undefined): DecodeFailure | undefined {
  const max = options?.maxBytes ?? DEFAULT_MAX_PAYLOAD_BYTES
  if (payload.byteLength > max) {
    return fail('too-large', `${payload.byteLength} bytes > ${max}`)
  }
  return isUtf8(payload) ? undefined : fail('bad-utf8')
}

/** The text of the payload (UTF-8), or why there is none. */
function toText(payload: Buffer, options: DecodeOptions | undefined): string | DecodeFailure {
  // Buffer#toString keeps a leading BOM (TextDecoder would strip it); the parser then refuses it.
  return refusal(payload, options) ?? payload.toString()
}

/** Whether the payload is a Uint8Array (anything else is refused, never thrown on). */
function isBytes(payload: unknown): payload is Uint8Array {
  return payload instanceof Uint8Array
}

const NOT_BYTES = 'payload is not a Uint8Array'

function parseWith<T>(dec: Dec<T>, value: JsonValue): { ok: true; data: T } | DecodeFailure {
  const r = runDecoder(dec, value)
  return r.ok ? { ok: true, data: r.value } : fail('bad-schema', r.detail)
}

function decodeSyncEventText(text: string, bytes: Buffer): DecodeResult {
  // Plain social/hey-there/chau events: one pass, same result as the reference path below.
  // All-ASCII bytes have the text's positions: long strings are copied straight from them.
  const fast = fastSyncEvent(text, text.length === bytes.byteLength ? bytes : undefined)
  if (fast !== undefined)
    return { ok: true, kind: SVC_KIND[fast.svc], message: fast } as DecodeResult
  const parsed = parseJson(text)
  if (!parsed.ok) return fail('bad-json', parsed.detail)
  const r = parseWith(syncEventDecoder, parsed.value)
  if (!r.ok) return r
  const ev = r.data
  return { ok: true, kind: SVC_KIND[ev.svc], message: ev } as DecodeResult
}

/**
 * Decodes a SyncEvent without a topic (gossip kinds `ping`, `observation`, `seen`, and the MQTT
 * ones). The kind follows `svc`: `hey_there`, `chau`, `social`, `ping`, `observation`, `seen`,
 * `checkpoint_final`. Never throws.
 */
export function decodeSyncEvent(payload: Uint8Array, options?: DecodeOptions): DecodeResult {
  try {
    if (!isBytes(payload)) return fail('bad-json', NOT_BYTES)
    const bytes = asBuffer(payload)
    const text = toText(bytes, options)
    if (typeof text !== 'string') return text
    return decodeSyncEventText(text, bytes)
  } catch {
    return fail('bad-json', 'internal decoder error')
  }
}

const TOPIC_SVC_KIND = {
  hey_there: 'hey_there',
  chau: 'chau',
  social: 'social',
  checkpoint_final: 'checkpoint_final',
} as const

/**
 * Decodes untrusted bytes received on `topic`, classifying the topic once. Returns
 * `{ ok: true, kind, message }` (`kind` is the topic's kind) or `{ ok: false, reason, detail?,
 * topic? }` (`topic`: the topic kind, when the topic is a plaza topic); never throws. For newspapers the message carries the sender
 * name from the topic and the exact `Status` bytes to verify the signature over.
 */
export function decodeMessage(
  topic: string,
  payload: Uint8Array,
  options?: DecodeOptions,
): DecodeResult {
  try {
    return decodeUnsafe(topic, payload, options)
  } catch {
    // Defence in depth: nothing above is expected to throw.
    return fail('bad-json', 'internal decoder error')
  }
}

function decodeUnsafe(topic: string, payload: Uint8Array, options?: DecodeOptions): DecodeResult {
  const kind = classifyTopic(topic)
  if (kind === null) return fail('wrong-topic', 'not a plaza topic')
  const r = decodeOnTopic(kind, topic, payload, options)
  if (!r.ok) r.topic = kind
  return r
}

function decodeOnTopic(
  kind: TopicKind,
  topic: string,
  payload: Uint8Array,
  options: DecodeOptions | undefined,
): DecodeResult {
  if (!isBytes(payload)) return fail('bad-json', NOT_BYTES)
  const bytes = asBuffer(payload)
  if (kind === 'newspaper') return refusal(bytes, options) ?? decodeNewspaper(topic, bytes)
  const text = toText(bytes, options)
  if (typeof text !== 'string') return text
  switch (kind) {
    case 'hey_there':
    case 'chau':
    case 'social':
    case 'checkpoint_final': {
      const r = decodeSyncEventText(text, bytes)
      if (r.ok && r.kind !== TOPIC_SVC_KIND[kind]) {
        return fail('wrong-topic', `svc "${(r.message as SyncEvent).svc}" on the ${kind} topic`)
      }
      return r
    }
    case 'stash_refresh':
      return { ok: true, kind, message: null }
    default:
      break
  }
  const parsed = parseJson(text)
  if (!parsed.ok) return fail('bad-json', parsed.detail)
  switch (kind) {
    case 'howdy': {
      const r = parseWith(howdyEventDecoder, parsed.value)
      return r.ok ? { ok: true, kind, message: r.data } : r
    }
    case 'checkpoint_propose': {
      const r = parseWith(checkpointProposalDecoder, parsed.value)
      return r.ok ? { ok: true, kind, message: r.data } : r
    }
    case 'checkpoint_vote': {
      const r = parseWith(checkpointVoteDecoder, parsed.value)
      return r.ok ? { ok: true, kind, message: r.data } : r
    }
    case 'journey_complete': {
      const r = parseWith(journeyCompletionDecoder, parsed.value)
      return r.ok ? { ok: true, kind, message: r.data } : r
    }
    case 'ledger_request':
    case 'ledger_response': {
      const name = parseLedgerTopic(topic)!.name
      if (kind === 'ledger_request') {
        const r = parseWith(ledgerRequestDecoder, parsed.value)
        return r.ok ? { ok: true, kind, message: r.data, name } : r
      }
      const r = parseWith(ledgerResponseDecoder, parsed.value)
      return r.ok ? { ok: true, kind, message: r.data, name } : r
    }
  }
}

/** A newspaper from its (size-checked, valid UTF-8) bytes. */
function decodeNewspaper(topic: string, payload: Buffer): DecodeResult {
  const name = parseNewspaperTopic(topic)!
  // Plain newspapers: one pass over the bytes, same result as the reference path below.
  const fast = fastNewspaper(payload)
  if (fast !== undefined) {
    const statusBytes = copyOf(payload, fast.statusStart, fast.statusEnd)
    return { ok: true, kind: 'newspaper', message: { name, envelope: fast.envelope, statusBytes } }
  }
  // Buffer#toString keeps a leading BOM (TextDecoder would strip it); the parser then refuses it.
  const text = payload.toString()
  const parsed = parseJson(text, { captureSpans: true })
  if (!parsed.ok) return fail('bad-json', parsed.detail)
  const r = parseWith(newspaperEnvelopeDecoder, parsed.value)
  if (!r.ok) return r
  const status = (parsed.value as JsonObject).get('Status')
  const span = parsed.spans?.Status
  if (span === undefined || !(status instanceof JsonObject)) {
    return fail('bad-schema', 'Status: expected an object')
  }
  const statusBytes = copyTextSpan(payload, text, span[0], span[1])
  return { ok: true, kind: 'newspaper', message: { name, envelope: r.data, statusBytes } }
}
