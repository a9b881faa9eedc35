/**
 * The shape shared by the SyncEvent kinds (hey_there, chau, social, ping, observation, seen,
 * checkpoint_final): each kind module gives its payload rules in a {@link SyncEventSpec}, and
 * {@link syncEventKind} turns them into a {@link MessageKind} with the common signed-SyncEvent
 * plan. Checks, in order: svc/payload match and payload validity, signature present, no `:` in
 * the emitter or a name of the signed content, emitter = the payload's sender, key (embedded for hey_there/chau, pinned by emitter otherwise),
 * uncovered name/ID pairs, recomputed ID, signature.
 */
import type { TopicKind } from '@nara/protocol'
import { sha256Of } from '../backends/backend.js'
import { defaultBackend } from '../backends/select.js'
import {
  checkNameIdPair,
  type EmbeddedKeyResolution,
  type KeyResolution,
  resolveEmbeddedKey,
  resolvePinnedKey,
} from '../key-checks.js'
import type { KeyLookup } from '../key-lookup.js'
import { colonInNames, isSplitSafe } from '../signed-names.js'
import { hasValidEnvelope, isSyncEventSigned } from '../sync-event-hash.js'
import { type ContentWriter, checkedDigest } from '../sync-event-preimage.js'
import type { SyncEventLike } from '../types.js'
import { reject, type Verdict } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import {
  type DecodedOf,
  type KindName,
  type MessageKind,
  type NameIdClaim,
  signatureBytes,
  singleCheck,
  unsignedId,
  type VerifyOptions,
} from './kind.js'

/** The payload rules of one SyncEvent kind. */
export interface SyncEventSpec<K extends KindName, P> {
  readonly name: K
  readonly topic: TopicKind | null
  /** The `svc` value (`hey-there` with a hyphen). */
  readonly svc: string
  /** The JSON key of the payload object (`hey_there` with an underscore). */
  readonly payloadKey: string
  /** Go's `ContentString` of the payload (WIRE §4.2): the signed text after `id:ts:svc:emitter:`. */
  content(p: P): string
  /**
   * The fields `content` joins with `:`, when that is how it is defined (`joinFields`): the
   * receive path then hashes them without building the string.
   */
  writeContent?: ContentWriter<P>
  /** Go's `IsValid` rule of the payload. */
  valid(p: P): boolean
  /**
   * The sender the payload names (the emitter must equal it), or the emitter itself for a kind
   * whose payload names someone else (social: `actor` is an unverified claim).
   */
  sender(p: P, ev: SyncEventLike): string | undefined
  /** The payload field holding that sender (`hey_there.From`...). */
  readonly senderField: string
  /** The name/ID pairs of the payload, as its keys (unsigned unless `signed`). */
  readonly idFields: readonly IdField<P>[]
  /**
   * The names inside the signed content string, as `[field label, payload key]` pairs (none may
   * contain `:`, see `signed-names.ts`). Default: the sender field.
   */
  readonly names?: readonly (readonly [label: string, key: keyof P & string])[]
  /** The key and ID the payload embeds (hey_there, chau); otherwise the emitter's pin is used. */
  embeddedKey?(p: P): { publicKey: string | undefined; id: string | undefined }
  summary(p: P): string
  /** A plan of its own instead of the common one (checkpoint_final). */
  plan?(ev: SyncEventLike, keys: KeyLookup, options: VerifyOptions): VerificationPlan
}

/** A name/ID pair of a payload by its keys: `{ name: 'actor', id: 'actor_id', field: 'social.actor_id' }`. */
export interface IdField<P> {
  readonly name: keyof P & string
  readonly id: keyof P & string
  /** The ID's field as a claim names it. */
  readonly field: string
  /** True when a signature covers the ID. */
  readonly signed?: boolean
}

/** The text at key `k` of payload `p`. */
function textAt<P>(p: P, k: keyof P & string): string | undefined {
  return p[k] as string | undefined
}

/** The claim of `f` in payload `p`. */
function claimOf<P>(p: P, f: IdField<P>): NameIdClaim {
  return { name: textAt(p, f.name), id: textAt(p, f.id), field: f.field, signed: f.signed ?? false }
}

/** The payload object selected by the spec, or `undefined`. */
function payloadOf<P>(spec: { payloadKey: string }, ev: SyncEventLike): P | undefined {
  const p = (ev as unknown as Record<string, unknown>)[spec.payloadKey]
  return p !== null && typeof p === 'object' ? (p as P) : undefined
}

/** A SyncEvent spec with its payload type erased (what the svc table holds). */
export type AnySyncEventSpec = SyncEventSpec<KindName, never>

/** A `malformed` verdict when the emitter or a signed name of the payload contains `:`. */
function colonInSignedNames<P>(
  spec: SyncEventSpec<KindName, P>,
  p: P,
  emitter: string,
  claimed: string,
): Verdict | null {
  if (!isSplitSafe(emitter)) return colonInNames({ emitter }, claimed)
  const names = spec.names
  if (names === undefined) return colonInNames({ [spec.senderField]: claimed }, claimed)
  for (const [label, key] of names) {
    const value = textAt(p, key)
    if (value !== undefined && !isSplitSafe(value)) return colonInNames({ [label]: value }, claimed)
  }
  return null
}

/** The common plan of a signed SyncEvent (see the module comment). */
function planSyncEvent<P>(
  spec: SyncEventSpec<KindName, P>,
  ev: SyncEventLike,
  keys: KeyLookup,
  options: VerifyOptions,
): VerificationPlan {
  const p = ev.svc === spec.svc ? payloadOf<P>(spec, ev) : undefined
  const claimed = p === undefined ? '' : (spec.sender(p, ev) ?? '')
  if (p === undefined) {
    return decided(reject('malformed', `svc "${ev.svc}" without its payload`, claimed))
  }
  if (!hasValidEnvelope(ev) || !spec.valid(p)) {
    return decided(reject('malformed', `invalid ${ev.svc} payload`, claimed))
  }
  if (!isSyncEventSigned(ev)) return decided(reject('unsigned', 'event has no signature', claimed))
  const emitter = ev.emitter ?? ''
  const colon = colonInSignedNames(spec, p, emitter, claimed)
  if (colon) return decided(colon)
  if (emitter !== claimed) {
    return decided(reject('sender-mismatch', `emitter differs from ${spec.senderField}`, claimed))
  }
  const embedded = spec.embeddedKey?.(p)
  const resolved: KeyResolution | EmbeddedKeyResolution =
    embedded === undefined
      ? resolvePinnedKey(keys, emitter)
      : resolveEmbeddedKey(
          keys,
          emitter,
          embedded.id || undefined,
          embedded.publicKey,
          options.requireKnownSender ?? false,
        )
  if (!resolved.ok) return decided(resolved.verdict)
  // Every *_id field of a SyncEvent is unsigned: an ID owned by another name is not a reason to
  // reject (see checkNameIdPair), a name's own pinned ID contradicted is.
  const emitterIds = checkNameIdPair(keys, emitter, ev.emitter_id, 'emitter_id', emitter, 'ignore')
  if (emitterIds) return decided(emitterIds)
  for (const f of spec.idFields) {
    const mismatch = checkNameIdPair(
      keys,
      textAt(p, f.name),
      textAt(p, f.id),
      f.field,
      emitter,
      'ignore',
    )
    if (mismatch) return decided(mismatch)
  }
  const hash = sha256Of(options.backend ?? defaultBackend)
  const digest = checkedDigest(ev, p, spec.content, spec.writeContent, hash)
  if (digest === null) {
    return decided(reject('bad-id', 'event id does not match its content', emitter))
  }
  const sig = signatureBytes(ev.sig)
  if (sig === null) {
    return decided(
      reject('bad-signature', 'signature is not canonical base64 of 64 bytes', emitter),
    )
  }
  // The received `id` is the recomputed one: it is the plan's event ID.
  return singleCheck(sig, digest, resolved, emitter, 'signature does not verify', ev.id)
}

/** The {@link MessageKind} of a SyncEvent kind. */
export function syncEventKind<K extends KindName, P>(
  spec: SyncEventSpec<K, P>,
): MessageKind<K> & { readonly spec: SyncEventSpec<K, P> } {
  const ev = (d: DecodedOf<K>) => d.message as unknown as SyncEventLike
  const payload = (d: DecodedOf<K>) => payloadOf<P>(spec, ev(d))
  return Object.freeze({
    name: spec.name,
    topic: spec.topic,
    svc: spec.svc,
    signed: true,
    spec,
    senderField: spec.senderField,
    sender: (d: DecodedOf<K>) => {
      const p = payload(d)
      return p === undefined ? '' : (spec.sender(p, ev(d)) ?? '')
    },
    ids: (d: DecodedOf<K>) => {
      const p = payload(d)
      const emitter = unsignedId(ev(d).emitter, ev(d).emitter_id, 'emitter_id')
      return p === undefined ? [emitter] : [emitter, ...spec.idFields.map((f) => claimOf(p, f))]
    },
    timeNs: (d: DecodedOf<K>) => BigInt(ev(d).ts),
    replayKey: (d: DecodedOf<K>) => ev(d).id,
    plan: (d: DecodedOf<K>, keys: KeyLookup, options: VerifyOptions = {}) =>
      spec.plan
        ? spec.plan(ev(d), keys, options)
        : planSyncEvent(spec as SyncEventSpec<KindName, P>, ev(d), keys, options),
    summary: (d: DecodedOf<K>) => {
      const p = payload(d)
      return p === undefined ? spec.name : spec.summary(p)
    },
  })
}
