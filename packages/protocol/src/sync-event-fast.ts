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
import type { ChauPayload, HeyTherePayload, SocialPayload, Svc, SyncEvent } from './sync-event.js'

const INT64_MAX = '9223372036854775807'
const INT64_MIN_ABS = '9223372036854775808'

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

/** A text position past a JSON string with no escape, or -1 (escape, control char, no end). */
function stringEnd(t: string, start: number): number {
  // `start` is just after the opening quote.
  for (let i = start; i < t.length; i++) {
    const c = t.charCodeAt(i)
    if (c === 0x22) return i
    if (c === 0x5c || c < 0x20) return -1
  }
  return -1
}

/** Same as lossless.ts: a copy of a long slice, so a kept string never pins the payload text. */
function detach(s: string): string {
  return s.length < 13 ? s : ` ${s}`.slice(1)
}

function skipWs(t: string, i: number): number {
  for (;;) {
    const c = t.charCodeAt(i)
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) i++
    else return i
  }
}

/** Parser state shared by the helpers (one per call; no allocation beyond the result). */
class Cursor {
  pos = 0
  constructor(readonly t: string) {}

  /** The string value at `pos` (which must be a quote), or undefined. Moves past it. */
  str(): string | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x22) return undefined
    const end = stringEnd(t, this.pos + 1)
    if (end < 0) return undefined
    const s = detach(t.slice(this.pos + 1, end))
    this.pos = end + 1
    return s
  }

  /** The raw key at `pos` and the `:` after it; undefined when not a plain key. */
  key(): string | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x22) return undefined
    const end = stringEnd(t, this.pos + 1)
    if (end < 0) return undefined
    const k = t.slice(this.pos + 1, end)
    let i = skipWs(t, end + 1)
    if (t.charCodeAt(i) !== 0x3a) return undefined
    i = skipWs(t, i + 1)
    this.pos = i
    return k
  }

  /**
   * After a member value: `,` (true, positioned at the next key) or `}` (false, past it).
   * Undefined on anything else.
   */
  next(): boolean | undefined {
    const t = this.t
    const i = skipWs(t, this.pos)
    const c = t.charCodeAt(i)
    if (c === 0x2c) {
      this.pos = skipWs(t, i + 1)
      return true
    }
    if (c === 0x7d) {
      this.pos = i + 1
      return false
    }
    return undefined
  }

  /** `{` then either `}` (false) or the first key's position (true); undefined otherwise. */
  open(): boolean | undefined {
    const t = this.t
    if (t.charCodeAt(this.pos) !== 0x7b) return undefined
    const i = skipWs(t, this.pos + 1)
    if (t.charCodeAt(i) === 0x7d) {
      this.pos = i + 1
      return false
    }
    this.pos = i
    return true
  }

  /** A plain integer literal in the int64 range as a bigint. */
  int64(): bigint | undefined {
    const t = this.t
    const start = this.pos
    let i = start
    if (t.charCodeAt(i) === 0x2d) i++
    const digits = i
    const first = t.charCodeAt(i)
    if (first === 0x30) i++
    else if (first >= 0x31 && first <= 0x39) {
      do i++
      while (isDigit(t.charCodeAt(i)))
    } else return undefined
    const n = i - digits
    if (n > 19) return undefined
    // 19 digits (every nanosecond timestamp): same length, so text order is number order.
    if (n === 19 && t.slice(digits, i) > (digits === start ? INT64_MAX : INT64_MIN_ABS)) {
      return undefined
    }
    const c = t.charCodeAt(i)
    // A fraction or an exponent: the reference path decides (and refuses it for an int64).
    if (c === 0x2e || c === 0x65 || c === 0x45) return undefined
    this.pos = i
    return BigInt(t.slice(start, i))
  }
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39
}

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
      const k = c.key()
      if (k === undefined) return undefined
      const v = c.str()
      if (v === undefined) return undefined
      switch (k) {
        case 'type':
          if (type !== undefined) return undefined
          type = v
          break
        case 'actor':
          if (actor !== undefined) return undefined
          actor = v
          break
        case 'actor_id':
          if (actorId !== undefined) return undefined
          actorId = v
          break
        case 'target':
          if (target !== undefined) return undefined
          target = v
          break
        case 'target_id':
          if (targetId !== undefined) return undefined
          targetId = v
          break
        case 'reason':
          if (reason !== undefined) return undefined
          reason = v
          break
        case 'witness':
          if (witness !== undefined) return undefined
          witness = v
          break
        default:
          return undefined
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
      const k = c.key()
      if (k === undefined) return undefined
      const v = c.str()
      if (v === undefined) return undefined
      switch (k) {
        case 'From':
          if (from !== undefined) return undefined
          from = v
          break
        case 'PublicKey':
          if (publicKey !== undefined) return undefined
          publicKey = v
          break
        case 'MeshIP':
          if (!withMeshIp || meshIp !== undefined) return undefined
          meshIp = v
          break
        case 'ID':
          if (id !== undefined) return undefined
          id = v
          break
        case 'Signature':
          if (signature !== undefined) return undefined
          signature = v
          break
        default:
          return undefined
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

/**
 * The SyncEvent of `text` when it is a plain social/hey-there/chau event (see the header), or
 * `undefined`: then the reference path must decide.
 */
export function fastSyncEvent(text: string): SyncEvent | undefined {
  const c = new Cursor(text)
  c.pos = skipWs(text, 0)
  if (c.open() !== true) return undefined
  let seen = 0
  let id: string | undefined
  let ts: bigint | undefined
  let svc: string | undefined
  let emitter: string | undefined
  let emitterId: string | undefined
  let sig: string | undefined
  let payloadKind = 0
  let payload: SocialPayload | HeyTherePayload | ChauPayload | undefined
  for (;;) {
    const k = c.key()
    if (k === undefined) return undefined
    let bit: number
    switch (k) {
      case 'id':
        bit = F_ID
        id = c.str()
        if (id === undefined) return undefined
        break
      case 'ts':
        bit = F_TS
        ts = c.int64()
        if (ts === undefined) return undefined
        break
      case 'svc':
        bit = F_SVC
        svc = c.str()
        if (svc === undefined) return undefined
        break
      case 'emitter':
        bit = F_EMITTER
        emitter = c.str()
        if (emitter === undefined) return undefined
        break
      case 'emitter_id':
        bit = F_EMITTER_ID
        emitterId = c.str()
        if (emitterId === undefined) return undefined
        break
      case 'sig':
        bit = F_SIG
        sig = c.str()
        if (sig === undefined) return undefined
        break
      case 'social':
        bit = F_PAYLOAD
        payloadKind = P_SOCIAL
        payload = socialPayload(c)
        if (payload === undefined) return undefined
        break
      case 'hey_there':
        bit = F_PAYLOAD
        payloadKind = P_HEY_THERE
        payload = presencePayload(c, true)
        if (payload === undefined) return undefined
        break
      case 'chau':
        bit = F_PAYLOAD
        payloadKind = P_CHAU
        payload = presencePayload(c, false)
        if (payload === undefined) return undefined
        break
      default:
        return undefined
    }
    // A repeated key (or a second payload): the reference path refuses it.
    if ((seen & bit) !== 0) return undefined
    seen |= bit
    const n = c.next()
    if (n === undefined) return undefined
    if (!n) break
  }
  if (skipWs(text, c.pos) !== text.length) return undefined
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
  // The reference decoder's field order; optional fields only when present.
  const ev = { id: id ?? '', ts: ts ?? 0n, svc: svc as Svc } as SyncEvent
  if (emitter !== undefined) ev.emitter = emitter
  if (emitterId !== undefined) ev.emitter_id = emitterId
  if (sig !== undefined) ev.sig = sig
  if (payloadKind === P_SOCIAL) ev.social = payload as SocialPayload
  else if (payloadKind === P_HEY_THERE) ev.hey_there = payload as HeyTherePayload
  else ev.chau = payload as ChauPayload
  return ev
}
