/** Verdicts of whole-message verification and the closed set of reject reasons. */

/** Why a message was rejected. */
export type RejectReason =
  /** No signature (Go accepts unsigned hey_there/chau/social/newspapers; we do not). */
  | 'unsigned'
  /** A signature is present but does not verify (or is not 64 bytes of base64). */
  | 'bad-signature'
  /** No key is known for the sender, and the message carries none. */
  | 'unknown-sender'
  /** A key in the message contradicts the keyring's key for that name or NaraID. */
  | 'key-conflict'
  /** A NaraID in the message contradicts the keyring's name↔ID pinning. */
  | 'id-mismatch'
  /** The event `id` differs from the recomputed one. */
  | 'bad-id'
  /** A final checkpoint lists a voter ID more than once. */
  | 'duplicate-voter'
  /** A final checkpoint has < 5 signatures or < 2 distinct valid voters. */
  | 'too-few-signatures'
  /** A checkpoint vote by its own subject (a self-attestation is a proposal, not a vote). */
  | 'self-vote'
  /**
   * A final checkpoint without a valid signature of its subject by the key pinned to the subject
   * NAME by a signed claim (the checkpoint would be applied to a name that never signed it).
   */
  | 'subject-unsigned'
  /** The claimed sender differs between places (emitter vs actor, topic vs envelope From...). */
  | 'sender-mismatch'
  /** The only key is the one the message brings, and `requireKnownSender` is set. */
  | 'self-certified'
  /** Structurally unusable: undecodable, svc/payload mismatch, invalid payload, bad key text. */
  | 'malformed'
  /** A kind that carries no signature at all (ledger, journey, stash_refresh). */
  | 'unsupported'

/** The outcome of verifying one message. */
export interface Verdict {
  readonly verdict: 'accept' | 'reject'
  /** Set when `verdict` is `reject`. */
  readonly reason?: RejectReason
  /** The authenticated sender name (accept), or the claimed one when known (reject). */
  readonly from?: string
  /** A short human explanation (no key material). */
  readonly detail?: string
}

/** An accept verdict. */
export function accept(from: string | undefined): Verdict {
  return from === undefined ? { verdict: 'accept' } : { verdict: 'accept', from }
}

/** A reject verdict. */
export function reject(reason: RejectReason, detail: string, from?: string): Verdict {
  return from === undefined || from === ''
    ? { verdict: 'reject', reason, detail }
    : { verdict: 'reject', reason, detail, from }
}
