/**
 * The plan shared by the kinds whose signer brings its own key and an unsigned NaraID (howdy's
 * `Me`, a newspaper's `Status`): the embedded key must agree with the key pinned for the name (or
 * is a first use), the unsigned ID must not contradict the name's pinned ID, and the signature
 * must be canonical base64 of 64 bytes before it is checked.
 */
import { checkNameIdPair, resolveEmbeddedKey } from '../key-checks.js'
import type { KeyLookup } from '../key-lookup.js'
import { reject, type Verdict } from '../verdict.js'
import { decided, type VerificationPlan } from '../verification-plan.js'
import { signatureBytes, singleCheck, type VerifyOptions } from './kind.js'

/** One embedded-key signer to plan. */
export interface EmbeddedSigner {
  /** The name the signature speaks for. */
  readonly name: string
  /** The unsigned NaraID the message claims for it, and where it sits (`Me.ID`...). */
  readonly id: string | undefined
  readonly idField: string
  /** The embedded key (base64) and signature (base64) as received. */
  readonly publicKey: string | undefined
  readonly signature: string | undefined
  /** The signed bytes. */
  readonly message: Uint8Array
  /** The field holding the signature (`Signature`), and the verdict detail when it fails. */
  readonly signatureField: string
  readonly failure: string
  /** A further check of the message's unsigned parts, run after the key checks. */
  readonly extra?: () => Verdict | null
}

/** Plans an embedded-key signer (see the module comment). */
export function planEmbeddedSigner(
  s: EmbeddedSigner,
  keys: KeyLookup,
  options: VerifyOptions,
): VerificationPlan {
  const { name } = s
  const resolved = resolveEmbeddedKey(
    keys,
    name,
    s.id || undefined,
    s.publicKey,
    options.requireKnownSender ?? false,
  )
  if (!resolved.ok) return decided(resolved.verdict)
  const conflict = checkNameIdPair(keys, name, s.id, s.idField, name, 'ignore') ?? s.extra?.()
  if (conflict) return decided(conflict)
  const sig = signatureBytes(s.signature)
  if (sig === null) {
    const detail = `${s.signatureField} is not canonical base64 of 64 bytes`
    return decided(reject('bad-signature', detail, name))
  }
  return singleCheck(sig, s.message, resolved, name, s.failure)
}
