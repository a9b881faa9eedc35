/**
 * Offline verification of one captured payload, as `nara verify` does it: decode with
 * @nara/protocol (the topic picks the message kind; no topic means a gossip SyncEvent), then let
 * @nara/crypto's `verifyDecoded` check encoding, schema, keys and signatures against the keyring
 * file. Freshness is only checked when the caller gives a `now` (captures are old).
 */
import {
  createKeyLookup,
  type Ed25519Backend,
  fastestBackend,
  type KeyLookup,
  KINDS,
  type MessageKind,
  parsePublicKeyBase64,
  verifyDecoded,
} from '@nara/crypto'
import { type DecodeResult, decodeMessage, decodeSyncEvent } from '@nara/protocol'
import type { KeyringFile } from './keyring-file.js'

export interface VerifyOptions {
  /** Current time in Unix nanoseconds; turns the freshness window on. */
  nowNs?: bigint
  /** Half-width of the freshness window in seconds (default 600). */
  windowS?: number
}

/** `stale` is the CLI's own reason (freshness is not a property of the message bytes). */
export type VerifyReason = string

export interface VerifyOutcome {
  verdict: 'accept' | 'reject'
  /** Why a message was rejected; null when accepted. */
  reason: VerifyReason | null
  /** The sender: authenticated on accept, claimed (when known) on reject. */
  from: string | null
  /** The decoded message kind (hey_there, newspaper, ...), when decoding got that far. */
  kind: string | null
  /** A short human explanation of a reject (never key material). */
  detail: string | null
}

let chosenBackend: Ed25519Backend | undefined
/** The fastest Ed25519 implementation available here (sodium, node, noble), chosen once. */
function backend(): Ed25519Backend {
  chosenBackend ??= fastestBackend()
  return chosenBackend
}

/** Default half-width of the freshness window: ±10 minutes. */
export const DEFAULT_WINDOW_S = 600

/** A NaraID is base58 of 32 bytes: 43 or 44 characters of the Bitcoin alphabet. */
export function looksLikeNaraId(label: string): boolean {
  return /^[1-9A-HJ-NP-Za-km-z]{43,44}$/.test(label)
}

/**
 * The crypto keyring of a keyring file. Labels that look like NaraIDs are IDs, the others names;
 * a key shared by exactly one name and one ID also pins that name to that ID.
 */
export function toKeyLookup(file: KeyringFile): KeyLookup {
  const byKey = new Map<string, { names: string[]; ids: string[] }>()
  for (const [label, key] of file.entries()) {
    let group = byKey.get(key)
    if (!group) {
      group = { names: [], ids: [] }
      byKey.set(key, group)
    }
    if (looksLikeNaraId(label)) group.ids.push(label)
    else group.names.push(label)
  }
  const entries: { name?: string; id?: string; publicKey: Uint8Array }[] = []
  for (const [key, group] of byKey) {
    const publicKey = parsePublicKeyBase64(key)
    if (!publicKey) continue // keyring-file already refused bad keys
    if (group.names.length === 1 && group.ids.length === 1) {
      entries.push({ name: group.names[0]!, id: group.ids[0]!, publicKey })
      continue
    }
    for (const name of group.names) entries.push({ name, publicKey })
    for (const id of group.ids) entries.push({ id, publicKey })
  }
  return createKeyLookup(entries)
}

export function decodePayload(topic: string | null, payload: Uint8Array): DecodeResult {
  return topic === null ? decodeSyncEvent(payload) : decodeMessage(topic, payload)
}

export function verifyPayload(
  topic: string | null,
  payload: Uint8Array,
  keyring: KeyLookup,
  options: VerifyOptions = {},
): VerifyOutcome {
  const decoded = decodePayload(topic, payload)
  if (!decoded.ok) {
    return {
      verdict: 'reject',
      reason: 'malformed',
      from: null,
      kind: null,
      detail: `${decoded.reason}${decoded.detail ? `: ${decoded.detail}` : ''}`,
    }
  }
  const result = verifyDecoded(decoded, keyring, { backend: backend() })
  const outcome: VerifyOutcome = {
    verdict: result.verdict,
    reason: result.verdict === 'accept' ? null : (result.reason ?? 'rejected'),
    from: result.from ?? null,
    kind: decoded.kind,
    detail: result.verdict === 'accept' ? null : (result.detail ?? null),
  }
  if (outcome.verdict === 'accept' && options.nowNs !== undefined) {
    const stale = freshnessProblem(decoded, options.nowNs, options.windowS ?? DEFAULT_WINDOW_S)
    if (stale) return { ...outcome, verdict: 'reject', reason: 'stale', detail: stale }
  }
  return outcome
}

/** The message's own time in Unix nanoseconds, when its kind carries one (the kind table). */
export function messageTimeNs(decoded: DecodeResult): bigint | undefined {
  if (!decoded.ok) return undefined
  return (KINDS[decoded.kind] as MessageKind).timeNs(decoded as never)
}

function freshnessProblem(decoded: DecodeResult, nowNs: bigint, windowS: number): string | null {
  const at = messageTimeNs(decoded)
  if (at === undefined) return null
  const windowNs = BigInt(Math.round(windowS * 1e9))
  const delta = at - nowNs
  if (delta < -windowNs) return `${formatSeconds(-delta)} older than --now (window ±${windowS} s)`
  if (delta > windowNs) return `${formatSeconds(delta)} ahead of --now (window ±${windowS} s)`
  return null
}

function formatSeconds(ns: bigint): string {
  return `${(ns / 1_000_000_000n).toString()} s`
}
