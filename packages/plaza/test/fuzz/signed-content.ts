/**
 * The oracle for "accepted change to signed content". For an accepted message it computes:
 *
 * - its **signed pairs**: every (public key, signed bytes) whose signature verified (the
 *   SyncEvent digest, the howdy text, the newspaper Status bytes, each attestation text);
 * - its **signed fields**: the fields those signatures cover, one by one, read from the decoded
 *   message (so a colon moved between two fields, or a re-split name, shows even when the joined
 *   signed text is the same), plus the sender name wherever a signature binds it.
 *
 * The references are the same two things computed from the unmutated vectors this verifier
 * accepts. A mutated message that is accepted while one of its signed pairs or its signed
 * fields is not among the references is an accepted change to signed content. Fields no
 * signature covers (howdy `You`/`Neighbors`, hey_there `ID`, a proposal's `round`...) may change
 * freely: WIRE.md says they are unauthenticated, and the events say so.
 */
import { type KeyLookup, planDecoded } from '@nara/crypto'
import type { Ed25519Backend } from '@nara/crypto/backends'
import { formatGoInt, formatRttGo, type IntLike } from '@nara/crypto/wire'

type Obj = Record<string, unknown>

const obj = (v: unknown): Obj => (v !== null && typeof v === 'object' ? (v as Obj) : {})
const str = (v: unknown): string => (typeof v === 'string' ? v : v === undefined ? '' : `?${v}`)
const num = (v: unknown): string => {
  if (typeof v === 'number' || typeof v === 'bigint') return formatGoInt(v as IntLike)
  return v === undefined || v === null ? '' : `?${String(v)}`
}
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64')

/** The fields a SyncEvent's signature covers besides its payload: `id:ts:svc:emitter`. */
function head(ev: Obj): string[] {
  return [str(ev.id), num(ev.ts), str(ev.svc), str(ev.emitter)]
}

/** The fields an attestation's signature covers (`attestation:v{n}:...`), version normalized. */
function attestation(a: Obj): string[] {
  const raw = typeof a.version === 'number' || typeof a.version === 'bigint' ? num(a.version) : '0'
  const version = raw === '0' ? '1' : raw
  const o = obj(a.observation)
  const fields = [version, str(a.attester_id), str(a.subject_id), num(a.as_of_time)]
  fields.push(num(o.restarts), num(o.total_uptime), num(o.start_time))
  if (version !== '1') fields.push(str(a.last_seen_checkpoint_id))
  return fields
}

/** Per kind: the signed fields of a decoded message, in a fixed order. */
const SIGNED_FIELDS: Record<string, (m: Obj) => string[]> = {
  hey_there: (ev) => {
    const p = obj(ev.hey_there)
    return [...head(ev), str(p.From), str(p.PublicKey), str(p.MeshIP)]
  },
  chau: (ev) => {
    const p = obj(ev.chau)
    return [...head(ev), str(p.From), str(p.PublicKey)]
  },
  social: (ev) => {
    const p = obj(ev.social)
    return [...head(ev), str(p.type), str(p.actor), str(p.target), str(p.reason), str(p.witness)]
  },
  ping: (ev) => {
    const p = obj(ev.ping)
    const rtt = typeof p.rtt === 'number' ? formatRttGo(p.rtt) : `?${String(p.rtt)}`
    return [...head(ev), str(p.observer), str(p.target), rtt]
  },
  observation: (ev) => {
    const p = obj(ev.observation)
    if (p.type === 'restart') {
      return [...head(ev), str(p.subject), 'restart', num(p.restart_num), num(p.start_time)]
    }
    const rest = [str(p.type), str(p.online_state), num(p.start_time), num(p.restart_num)]
    return [...head(ev), str(p.observer), str(p.subject), ...rest]
  },
  seen: (ev) => {
    const p = obj(ev.seen)
    return [...head(ev), str(p.observer), str(p.subject), str(p.via)]
  },
  // The voters sign attestations of the checkpoint values; the final's own ts/id are unsigned.
  // The subject NAME is here because a final is applied to that name (it must be bound).
  checkpoint_final: (ev) => {
    const cp = obj(ev.checkpoint)
    const o = obj(cp.observation)
    const version = num(cp.version ?? 0)
    const values = [num(cp.as_of_time), num(o.start_time), num(o.restarts), num(o.total_uptime)]
    const prev = version === '0' || version === '1' ? '' : str(cp.previous_checkpoint_id)
    return [version, str(cp.subject), str(cp.subject_id), ...values, prev]
  },
  howdy: (h) => [str(h.From), str(h.To), num(h.Seq)],
  newspaper: (n) => {
    const status = n.statusBytes instanceof Uint8Array ? b64(n.statusBytes) : '?'
    return [str(n.name), status]
  },
  checkpoint_propose: (p) => attestation(p),
  checkpoint_vote: (v) => attestation(v),
}

/** What an accepted message signed. */
export interface SignedContent {
  /** `base64(key) base64(bytes)` of every signature that verified. */
  readonly pairs: readonly string[]
  /** The signed fields, joined unambiguously (JSON array), prefixed by the kind. */
  readonly fields: string
}

/** The decoded form `planDecoded` takes, from a decode result or a delivered event. */
export interface DecodedView {
  readonly kind: string
  readonly message: unknown
}

/**
 * The signed content of an ACCEPTED decoded message, re-planned against `keys` and re-verified
 * with `backend` (only the checks that verify count). `undefined` for a kind without signed
 * fields (unsigned kinds).
 */
export function signedContent(
  decoded: DecodedView,
  keys: KeyLookup,
  backend: Ed25519Backend,
): SignedContent | undefined {
  const project = SIGNED_FIELDS[decoded.kind]
  if (project === undefined) return undefined
  const plan = planDecoded({ ok: true, ...decoded }, keys, { backend })
  const pairs = plan.checks
    .filter((c) => backend.verify(c.signature, c.message, c.publicKey))
    .map((c) => `${b64(c.publicKey)} ${b64(c.message)}`)
  const fields = `${decoded.kind} ${JSON.stringify(project(obj(decoded.message)))}`
  return { pairs, fields }
}

/** The signed content of the accepted originals: what a mutant may carry. */
export class SignedReferences {
  readonly #pairs = new Set<string>()
  readonly #fields = new Set<string>()

  add(content: SignedContent): void {
    for (const p of content.pairs) this.#pairs.add(p)
    this.#fields.add(content.fields)
  }

  get size(): number {
    return this.#fields.size
  }

  /** Why `content` is a change to signed content, or `undefined` when every part is known. */
  judge(content: SignedContent): string | undefined {
    const unknownPair = content.pairs.find((p) => !this.#pairs.has(p))
    if (unknownPair !== undefined) return `a signature verified over new bytes: ${unknownPair}`
    if (!this.#fields.has(content.fields)) return `signed fields changed: ${content.fields}`
    return undefined
  }
}
