/**
 * `newspaper` (WIRE §6.4) on `nara/newspaper/{name}`: a nara's status. Ed25519 over the exact
 * `Status` JSON bytes, not hashed; verification always runs over the raw bytes as received,
 * never over a re-serialisation. The sender is the topic name; the signature covers no name.
 */
import type { Ed25519Backend } from '../backends/backend.js'
import { defaultBackend } from '../backends/select.js'
import { assertBytes, assertPublicKey, fromBase64Strict, toBase64 } from '../bytes.js'
import type { KeyLookup } from '../key-lookup.js'
import { colonInNames } from '../signed-names.js'
import type { IntLike, StatusLike } from '../types.js'
import { reject } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import { planEmbeddedSigner } from './embedded-signer.js'
import { type DecodedOf, type MessageKind, unsignedId, type VerifyOptions } from './kind.js'

/** Signs the status bytes you are about to embed; returns the base64 `Signature`. */
export function signNewspaperStatus(
  statusBytes: Uint8Array,
  seed: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): string {
  assertBytes(statusBytes, 'status bytes')
  return toBase64(backend.sign(statusBytes, seed))
}

/** Checks a newspaper signature over the raw received `Status` bytes. */
export function verifyNewspaperStatus(
  statusBytes: Uint8Array,
  signatureBase64: string,
  publicKey: Uint8Array,
  backend: Ed25519Backend = defaultBackend,
): boolean {
  assertBytes(statusBytes, 'status bytes')
  assertPublicKey(publicKey)
  const sig = fromBase64Strict(signatureBase64)
  if (sig === null || sig.length !== 64) return false
  return backend.verify(sig, statusBytes, publicKey)
}

/** A decoded newspaper: sender name from the topic, envelope, and the raw `Status` bytes. */
export interface NewspaperLike {
  /** Sender name from the topic `nara/newspaper/{name}`. */
  readonly name: string
  readonly envelope: {
    readonly From?: string
    readonly Status?: StatusLike & {
      readonly Buzz?: IntLike
      readonly Chattiness?: IntLike
      readonly Version?: string
      readonly Flair?: string
    }
    readonly Signature?: string
  }
  /** Exact bytes of the `Status` value as received. */
  readonly statusBytes: Uint8Array
}

/**
 * Plans a newspaper over its raw `Status` bytes. The envelope `From` must equal the topic name;
 * the key is `Status.PublicKey` (must agree with the key pinned for the topic name) or else the
 * pinned key. NOTE: the signature covers no sender name at all, so a newspaper cannot
 * authenticate a name by itself; a receiver that pins (the plaza) sets `requireKnownSender`.
 */
function planNewspaper(
  paper: NewspaperLike,
  keys: KeyLookup,
  options: VerifyOptions,
): VerificationPlan {
  const name = paper.name
  if (name === '') return decided(reject('malformed', 'newspaper topic without a name'))
  const colon = colonInNames({ 'topic name': name }, name)
  if (colon) return decided(colon)
  if ((paper.envelope.From ?? '') !== name) {
    return decided(reject('sender-mismatch', 'envelope From differs from the topic name', name))
  }
  const signature = paper.envelope.Signature ?? ''
  if (signature === '') return decided(reject('unsigned', 'newspaper has no Signature', name))
  const status = paper.envelope.Status ?? {}
  const signer = {
    name,
    id: status.ID,
    idField: 'Status.ID',
    publicKey: status.PublicKey,
    signature,
    message: paper.statusBytes,
    signatureField: 'Signature',
    failure: 'newspaper signature does not verify over the Status bytes',
  }
  return planEmbeddedSigner(signer, keys, options)
}

type Paper = DecodedOf<'newspaper'>
const paperOf = (d: Paper) => d.message as NewspaperLike

export const newspaperKind: MessageKind<'newspaper'> = Object.freeze({
  name: 'newspaper',
  topic: 'newspaper',
  svc: null,
  signed: true,
  senderField: 'topic',
  sender: (d: Paper) => paperOf(d).name,
  ids: (d: Paper) => [unsignedId(paperOf(d).name, paperOf(d).envelope.Status?.ID, 'Status.ID')],
  timeNs: () => undefined,
  replayKey: () => undefined,
  plan: (d: Paper, keys: KeyLookup, options: VerifyOptions = {}) =>
    planNewspaper(paperOf(d), keys, options),
  summary: (d: Paper) => {
    const s = paperOf(d).envelope.Status ?? {}
    return `newspaper: buzz ${s.Buzz ?? 0}, chattiness ${s.Chattiness ?? 0}${s.Version ? `, v${s.Version}` : ''}${s.Flair ? ` ${s.Flair}` : ''}`
  },
})
