/**
 * `howdy` (WIRE §6.3) on `nara/plaza/howdy`: a nara's answer to a hey_there, listing neighbours.
 * Ed25519 over the raw UTF-8 of `howdy:{From}:{To}:{Seq}`, and nothing else of the message (You,
 * Neighbors and Me are unauthenticated); the key is `Me.PublicKey`.
 */
import type { Ed25519Backend } from '../backends/backend.js'
import { defaultBackend } from '../backends/select.js'
import { assertPublicKey, fromBase64Strict, toBase64, utf8 } from '../bytes.js'
import { checkKeyAgrees, checkNameIdPair } from '../key-checks.js'
import type { KeyLookup } from '../key-lookup.js'
import { parsedPublicKeyShared } from '../keys.js'
import { colonInNames } from '../signed-names.js'
import {
  formatGoInt,
  type HowdyLike,
  type IntLike,
  type NeighborLike,
  type StatusLike,
} from '../types.js'
import { reject, type Verdict } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import { planEmbeddedSigner } from './embedded-signer.js'
import { type DecodedOf, type MessageKind, unsignedId, type VerifyOptions } from './kind.js'

/** The signed text `howdy:{from}:{to}:{seq}`. */
export function howdyMessage(from: string, to: string, seq: IntLike): string {
  return `howdy:${from}:${to}:${formatGoInt(seq)}`
}

/** Signs a howdy; returns the base64 `Signature`. */
export function signHowdy(
  from: string,
  to: string,
  seq: IntLike,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  return toBase64(backend.sign(utf8(howdyMessage(from, to, seq)), seed))
}

/** Checks a howdy's `Signature` with `publicKey`. Missing or malformed signatures are `false`. */
export function verifyHowdy(
  howdy: HowdyLike,
  publicKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): boolean {
  assertPublicKey(publicKey)
  const sig = fromBase64Strict(howdy.Signature ?? '')
  if (sig === null || sig.length !== 64) return false
  const message = howdyMessage(howdy.From ?? '', howdy.To ?? '', howdy.Seq ?? 0)
  return backend.verify(sig, utf8(message), publicKey)
}

/**
 * Plans a howdy: signature over `howdy:{From}:{To}:{Seq}` with `Me.PublicKey` (mandatory, as in
 * Go), which must agree with the key pinned for `From`; `Me.ID` and every neighbour's
 * name/key/ID must not contradict the keyring either (they are unsigned claims). `From` and `To`
 * never contain `:` (the signed text would re-split).
 */
function planHowdy(howdy: HowdyLike, keys: KeyLookup, options: VerifyOptions): VerificationPlan {
  const from = howdy.From ?? ''
  if (from === '') return decided(reject('malformed', 'howdy without From'))
  const colon = colonInNames({ From: from, To: howdy.To }, from)
  if (colon) return decided(colon)
  if ((howdy.Signature ?? '') === '') {
    return decided(reject('unsigned', 'howdy has no Signature', from))
  }
  const me: StatusLike = howdy.Me ?? {}
  if (!me.PublicKey) return decided(reject('malformed', 'howdy Me.PublicKey is empty', from))
  const signer = {
    name: from,
    id: me.ID,
    idField: 'Me.ID',
    publicKey: me.PublicKey,
    signature: howdy.Signature,
    message: utf8(howdyMessage(from, howdy.To ?? '', howdy.Seq ?? 0)),
    signatureField: 'howdy Signature',
    failure: 'howdy signature does not verify',
    extra: () => neighborConflict(howdy, keys, from),
  }
  return planEmbeddedSigner(signer, keys, options)
}

/** The first neighbour whose key or ID contradicts the keyring, as a reject verdict. */
function neighborConflict(howdy: HowdyLike, keys: KeyLookup, from: string): Verdict | null {
  // Labels are built only for a verdict: this loop runs for every howdy at every receiver.
  const neighbors = howdy.Neighbors ?? []
  for (let i = 0; i < neighbors.length; i++) {
    const n = neighbors[i] as NeighborLike
    const key = n.PublicKey ? (parsedPublicKeyShared(n.PublicKey) as Uint8Array | null) : null
    if (key !== null && checkKeyAgrees(keys, key, n.Name, undefined, '', from)) {
      return checkKeyAgrees(keys, key, n.Name, undefined, `Neighbors[${i}].PublicKey`, from)
    }
    if (checkNameIdPair(keys, n.Name, n.ID, '', from, 'ignore')) {
      return checkNameIdPair(keys, n.Name, n.ID, `Neighbors[${i}].ID`, from, 'ignore')
    }
  }
  return null
}

type Howdy = DecodedOf<'howdy'>
const howdyOf = (d: Howdy) => d.message as HowdyLike

export const howdyKind: MessageKind<'howdy'> = Object.freeze({
  name: 'howdy',
  topic: 'howdy',
  svc: null,
  signed: true,
  senderField: 'From',
  sender: (d: Howdy) => howdyOf(d).From ?? '',
  ids: (d: Howdy) => {
    const h = howdyOf(d)
    const claims = [unsignedId(h.From, h.Me?.ID, 'Me.ID')]
    for (const n of h.Neighbors ?? []) claims.push(unsignedId(n.Name, n.ID, 'Neighbors.ID'))
    return claims
  },
  timeNs: () => undefined,
  replayKey: (d: Howdy) => {
    const h = howdyOf(d)
    return `${h.From ?? ''}\u0000${h.To ?? ''}\u0000${formatGoInt(h.Seq)}`
  },
  plan: (d: Howdy, keys: KeyLookup, options: VerifyOptions = {}) =>
    planHowdy(howdyOf(d), keys, options),
  summary: (d: Howdy) => {
    const h = howdyOf(d)
    const n = h.Neighbors?.length ?? 0
    return `howdy to ${h.To ?? ''} (seq ${formatGoInt(h.Seq)}, ${n} neighbour${n === 1 ? '' : 's'})`
  },
})
