/**
 * A fast path for the common SyncEvents (svc `social`, `hey-there`, `chau`) as Go and this
 * package encode them: one pass over the text straight into the typed object, without the
 * lossless tree and the generic struct decoders.
 *
 * It is a RECOGNISER of a strict subset, never a second set of rules: it answers only for texts
 * on which the reference path (`parseJson` + `syncEventDecoder`) accepts and returns exactly the
 * object built here (same fields, same key order, same values). For anything else (an escape in
 * a string, an unknown or case-variant key, a duplicate key, `null`, a number that is not a plain
 * int64 integer, a missing/foreign payload, trailing data...) it returns
 * `undefined` and the caller runs the reference path, which gives the verdict and its detail.
 */
import { Cursor, skipWs } from './fast-cursor.js'
import type { ChauPayload, HeyTherePayload, SocialPayload, Svc, SyncEvent } from './sync-event.js'

/** Envelope keys, one bit each. */
const F_ID = 1
const F_TS = 2
const F_SVC = 4
const F_EMITTER = 8
const F_EMITTER_ID = 16
const F_SIG = 32
const F_PAYLOAD = 64

/** Payload kinds the fast path builds. */
const P_SOCIAL = 1
const P_HEY_THERE = 2
const P_CHAU = 3

/** Keys of the social payload, by index (compared in place). */
const SOCIAL_KEYS = ['type', 'actor', 'actor_id', 'target', 'target_id', 'reason', 'witness']

function socialPayload(c: Cursor): SocialPayload | undefined {
  const more = c.open()
  if (more === undefined) return undefined
  let type: string | undefined
  let actor: string | undefined
  let actorId: string | undefined
  let target: string | undefined
  let targetId: string | undefined
  let reason: string | undefined
  let witness: string | undefined
  if (more) {
    for (;;) {
      const k = c.keyIndex(SOCIAL_KEYS)
      if (k < 0) return undefined
      const v = c.str()
      if (v === undefined) return undefined
      switch (k) {
        case 0:
          if (type !== undefined) return undefined
          type = v
          break
        case 1:
          if (actor !== undefined) return undefined
          actor = v
          break
        case 2:
          if (actorId !== undefined) return undefined
          actorId = v
          break
        case 3:
          if (target !== undefined) return undefined
          target = v
          break
        case 4:
          if (targetId !== undefined) return undefined
          targetId = v
          break
        case 5:
          if (reason !== undefined) return undefined
          reason = v
          break
        default:
          if (witness !== undefined) return undefined
          witness = v
      }
      const n = c.next()
      if (n === undefined) return undefined
      if (!n) break
    }
  }
  // The reference decoder's field order; optional fields only when present.
  const p: SocialPayload = { type: type ?? '' }
  if (actor !== undefined) p.actor = actor
  if (actorId !== undefined) p.actor_id = actorId
  if (target !== undefined) p.target = target
  if (targetId !== undefined) p.target_id = targetId
  if (reason !== undefined) p.reason = reason
  if (witness !== undefined) p.witness = witness
  return p
}

/** Keys of the hey_there and chau payloads, by index (chau has no `MeshIP`). */
const PRESENCE_KEYS = ['From', 'PublicKey', 'MeshIP', 'ID', 'Signature']

/** hey_there (with `MeshIP`) or chau (without): every field a string, absent = ''. */
function presencePayload(
  c: Cursor,
  withMeshIp: boolean,
): HeyTherePayload | ChauPayload | undefined {
  const more = c.open()
  if (more === undefined) return undefined
  let from: string | undefined
  let publicKey: string | undefined
  let meshIp: string | undefined
  let id: string | undefined
  let signature: string | undefined
  if (more) {
    for (;;) {
      const k = c.keyIndex(PRESENCE_KEYS)
      if (k < 0) return undefined
      const v = c.str()
      if (v === undefined) return undefined
      switch (k) {
        case 0:
          if (from !== undefined) return undefined
          from = v
          break
        case 1:
          if (publicKey !== undefined) return undefined
          publicKey = v
          break
        case 2:
          if (!withMeshIp || meshIp !== undefined) return undefined
          meshIp = v
          break
        case 3:
          if (id !== undefined) return undefined
          id = v
          break
        default:
          if (signature !== undefined) return undefined
          signature = v
      }
      const n = c.next()
      if (n === undefined) return undefined
      if (!n) break
    }
  }
  if (withMeshIp) {
    return {
      From: from ?? '',
      PublicKey: publicKey ?? '',
      MeshIP: meshIp ?? '',
      ID: id ?? '',
      Signature: signature ?? '',
    }
  }
  return { From: from ?? '', PublicKey: publicKey ?? '', ID: id ?? '', Signature: signature ?? '' }
}

/** The members read so far (one object per call, every field present: a stable shape). */
interface Fields {
  id: string | undefined
  ts: bigint | undefined
  svc: string | undefined
  emitter: string | undefined
  emitterId: string | undefined
  sig: string | undefined
  payloadKind: number
  payload: SocialPayload | HeyTherePayload | ChauPayload | undefined
}

/** Keys of the envelope, by index (compared in place). */
const ENVELOPE_KEYS = [
  'id',
  'ts',
  'svc',
  'emitter',
  'emitter_id',
  'sig',
  'social',
  'hey_there',
  'chau',
]

/** Reads the value of member `k` into `f`; returns its bit, or 0 when the fast path gives up. */
function readMember(c: Cursor, k: number, f: Fields): number {
  switch (k) {
    case 0:
      f.id = c.str()
      return f.id === undefined ? 0 : F_ID
    case 1:
      f.ts = c.int64()
      return f.ts === undefined ? 0 : F_TS
    case 2:
      f.svc = c.str()
      return f.svc === undefined ? 0 : F_SVC
    case 3:
      f.emitter = c.str()
      return f.emitter === undefined ? 0 : F_EMITTER
    case 4:
      f.emitterId = c.str()
      return f.emitterId === undefined ? 0 : F_EMITTER_ID
    case 5:
      f.sig = c.str()
      return f.sig === undefined ? 0 : F_SIG
    case 6:
      f.payloadKind = P_SOCIAL
      f.payload = socialPayload(c)
      return f.payload === undefined ? 0 : F_PAYLOAD
    case 7:
      f.payloadKind = P_HEY_THERE
      f.payload = presencePayload(c, true)
      return f.payload === undefined ? 0 : F_PAYLOAD
    case 8:
      f.payloadKind = P_CHAU
      f.payload = presencePayload(c, false)
      return f.payload === undefined ? 0 : F_PAYLOAD
    default:
      return 0
  }
}

/** The event of the members read, in the reference decoder's field order, or `undefined`. */
function eventOf(f: Fields): SyncEvent | undefined {
  const { svc, payload, payloadKind } = f
  if (svc === undefined || payload === undefined) return undefined
  // Exactly the payload `svc` names (a foreign one is refused by the reference path).
  if (
    !(
      (svc === 'social' && payloadKind === P_SOCIAL) ||
      (svc === 'hey-there' && payloadKind === P_HEY_THERE) ||
      (svc === 'chau' && payloadKind === P_CHAU)
    )
  ) {
    return undefined
  }
  // Optional fields only when present.
  const ev = { id: f.id ?? '', ts: f.ts ?? 0n, svc: svc as Svc } as SyncEvent
  if (f.emitter !== undefined) ev.emitter = f.emitter
  if (f.emitterId !== undefined) ev.emitter_id = f.emitterId
  if (f.sig !== undefined) ev.sig = f.sig
  if (payloadKind === P_SOCIAL) ev.social = payload as SocialPayload
  else if (payloadKind === P_HEY_THERE) ev.hey_there = payload as HeyTherePayload
  else ev.chau = payload as ChauPayload
  return ev
}

/** The cursor and the members of the call in progress (a call never nests: reused, reset). */
const cursor = new Cursor('')
const fields: Fields = {
  id: undefined,
  ts: undefined,
  svc: undefined,
  emitter: undefined,
  emitterId: undefined,
  sig: undefined,
  payloadKind: 0,
  payload: undefined,
}

function clear(f: Fields): void {
  f.id = undefined
  f.ts = undefined
  f.svc = undefined
  f.emitter = undefined
  f.emitterId = undefined
  f.sig = undefined
  f.payloadKind = 0
  f.payload = undefined
}

/**
 * The SyncEvent of `text` when it is a plain social/hey-there/chau event (see the header), or
 * `undefined`: then the reference path must decide. `asciiBytes`: the UTF-8 bytes of `text`
 * when they are all ASCII (long strings are copied from them).
 */
export function fastSyncEvent(text: string, asciiBytes?: Buffer): SyncEvent | undefined {
  cursor.reset(text, asciiBytes)
  try {
    return readEvent(cursor, fields)
  } finally {
    // Keeps no reference to the text or to what was read.
    cursor.reset('', undefined)
    clear(fields)
  }
}

function readEvent(c: Cursor, f: Fields): SyncEvent | undefined {
  const text = c.t
  c.pos = skipWs(text, 0)
  if (c.open() !== true) return undefined
  let seen = 0
  for (;;) {
    const k = c.keyIndex(ENVELOPE_KEYS)
    if (k < 0) return undefined
    const bit = readMember(c, k, f)
    // Not handled here, or a repeated key (or a second payload): the reference path decides.
    if (bit === 0 || (seen & bit) !== 0) return undefined
    seen |= bit
    const n = c.next()
    if (n === undefined) return undefined
    if (!n) break
  }
  if (skipWs(text, c.pos) !== text.length) return undefined
  return eventOf(f)
}
