/**
 * Cheap claimed-sender extraction from raw bytes, BEFORE any JSON parsing: it picks the
 * pre-verification budget a message pays from. It is a hint, not an identity. The field is each
 * kind's policy's `senderField` (a dotted path for a nested one, e.g. `checkpoint.subject`),
 * found at its own level of the object only (nested values and strings are skipped), with any
 * JSON whitespace around the `:`, and read as UTF-8. A value with an escape, a non-string value,
 * a missing field or anything unreadable gives '' (no guessing): no claim. After decoding, a
 * non-empty claim must equal {@link decodedSender} (JSON keeps the LAST of duplicate fields, the
 * scan reads the first), or the message is dropped as `malformed`.
 */
import type { DecodedMessage, TopicKind } from '@nara/protocol'
import { POLICIES } from './policies/index.js'

const enc = new TextEncoder()
/** The path of the sender field (each part as bytes), per topic kind with one. */
const PATHS = new Map<string, { names: string[]; bytes: Uint8Array[] }>()
for (const policy of Object.values(POLICIES)) {
  if (policy?.senderField !== undefined) {
    const names = policy.senderField.split('.')
    PATHS.set(policy.kind, { names, bytes: names.map((n) => enc.encode(n)) })
  }
}

/** Longest sender name read, in bytes (protocol names are at most 64 bytes). */
const MAX_SENDER_BYTES = 64
const NEWSPAPER_PREFIX = 'nara/newspaper/'.length
const QUOTE = 0x22
const BACKSLASH = 0x5c
const OPEN_OBJECT = 0x7b
const CLOSE_OBJECT = 0x7d
const OPEN_ARRAY = 0x5b
const CLOSE_ARRAY = 0x5d
const COLON = 0x3a
const COMMA = 0x2c

/** JSON whitespace: space, tab, line feed, carriage return. */
const isSpace = (b: number | undefined): boolean =>
  b === 0x20 || b === 0x09 || b === 0x0a || b === 0x0d

function skipSpace(buf: Uint8Array, i: number): number {
  while (isSpace(buf[i])) i++
  return i
}

/**
 * Index of the quote closing the string opened at `open`, or -1. A plain loop: the strings here
 * are short (names, IDs, a signature), where `indexOf`'s call into C++ costs more than it saves.
 */
function stringEnd(buf: Buffer, open: number): number {
  const n = buf.length
  for (let i = open + 1; i < n; i++) {
    const c = buf[i]
    if (c === BACKSLASH) i++
    else if (c === QUOTE) return i
  }
  return -1
}

/** Index just after the JSON value starting at `i` (skipping nested values), or -1. */
function skipValue(buf: Buffer, i: number): number {
  const b = buf[i]
  if (b === QUOTE) {
    const end = stringEnd(buf, i)
    return end < 0 ? -1 : end + 1
  }
  if (b !== OPEN_OBJECT && b !== OPEN_ARRAY) {
    // A number or a literal: up to the next delimiter.
    while (i < buf.length) {
      const c = buf[i] as number
      if (c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isSpace(c)) return i
      i++
    }
    return -1
  }
  let depth = 0
  while (i < buf.length) {
    const c = buf[i] as number
    if (c === QUOTE) {
      const end = stringEnd(buf, i)
      if (end < 0) return -1
      i = end + 1
      continue
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--
      if (depth === 0) return i + 1
    }
    i++
  }
  return -1
}

function sameBytes(buf: Buffer, start: number, end: number, name: Uint8Array): boolean {
  if (end - start !== name.length) return false
  for (let k = 0; k < name.length; k++) if (buf[start + k] !== name[k]) return false
  return true
}

/**
 * Where the value of member `name` of the object opening at `i` starts (first occurrence at
 * that object's own level), or -1.
 */
function memberValue(buf: Buffer, i: number, name: Uint8Array): number {
  if (buf[i] !== OPEN_OBJECT) return -1
  i = skipSpace(buf, i + 1)
  if (buf[i] === CLOSE_OBJECT) return -1
  for (;;) {
    if (buf[i] !== QUOTE) return -1
    const keyEnd = stringEnd(buf, i)
    if (keyEnd < 0) return -1
    const match = sameBytes(buf, i + 1, keyEnd, name)
    i = skipSpace(buf, keyEnd + 1)
    if (buf[i] !== COLON) return -1
    i = skipSpace(buf, i + 1)
    if (match) return i
    i = skipValue(buf, i)
    if (i < 0) return -1
    i = skipSpace(buf, i)
    if (buf[i] !== COMMA) return -1
    i = skipSpace(buf, i + 1)
  }
}

/** The string value at `path` in the JSON object `buf`, '' when unreadable (see the header). */
export function scanSender(buf: Buffer, path: readonly Uint8Array[]): string {
  let at = skipSpace(buf, 0)
  for (const name of path) {
    at = memberValue(buf, at, name)
    if (at < 0) return ''
  }
  if (buf[at] !== QUOTE) return ''
  const end = stringEnd(buf, at)
  if (end < 0 || end - at - 1 > MAX_SENDER_BYTES) return ''
  for (let k = at + 1; k < end; k++) if (buf[k] === BACKSLASH) return ''
  return buf.toString('utf8', at + 1, end)
}

/**
 * The sender a message claims: the topic name for newspapers, else the string value of the
 * kind's sender field in the raw bytes (at most 64 bytes, no escapes), else ''.
 */
export function claimedSender(kind: TopicKind, topic: string, payload: Buffer): string {
  if (kind === 'newspaper') return topic.slice(NEWSPAPER_PREFIX)
  const path = PATHS.get(kind)
  return path === undefined ? '' : scanSender(payload, path.bytes)
}

/**
 * The decoded message's value of the field the scan read for its topic `kind` ('' when it has
 * none): what a non-empty claim must equal.
 */
export function decodedSender(kind: TopicKind, decoded: DecodedMessage): string {
  if (decoded.kind === 'newspaper') return decoded.message.name
  const path = PATHS.get(kind)
  if (path === undefined) return ''
  let value: unknown = decoded.message
  for (const name of path.names) {
    value = typeof value === 'object' && value !== null ? Reflect.get(value, name) : undefined
  }
  return typeof value === 'string' ? value : ''
}
