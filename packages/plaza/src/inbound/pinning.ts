/**
 * Pinning on the inbound path (the keyring's rules are in `keyring.ts`): before verification a
 * policy may only ASK whether a first-use key could be pinned; after a valid signature the
 * driver pins it (provisional), confirms a known pin (promotion), or takes a topic-only pin, and
 * binds the NaraID the key claims (unsigned, or signed by an attestation). Conflicts are
 * reported here.
 */
import type { VerificationPlan } from '@nara/crypto'
import type { Keyring, PinResult } from '../keyring.js'
import type { Admitted } from './policy.js'
import { type InboundReport, keyText } from './report.js'

/** Trust-on-first-use pinning of verified senders. */
export class Pinning {
  readonly #keyring: Keyring
  readonly #report: InboundReport

  constructor(keyring: Keyring, report: InboundReport) {
    this.#keyring = keyring
    this.#report = report
  }

  /** Before verifying a first use: could `name` be pinned to the plan's key at all? */
  pinnable(kind: string, topic: string, name: string, vp: VerificationPlan): boolean {
    if (!vp.firstUse || vp.publicKey === undefined) return true
    const r = this.#keyring.check({ name, publicKey: vp.publicKey })
    return this.#outcome(r, kind, topic, name, vp.publicKey)
  }

  /**
   * A topic-only claim (a newspaper of a name no signed claim pinned): could `name` take a weak
   * pin to the key that signed the Status? (`pin`: take it, after a valid signature.) Conflicts
   * with pins of either tier drop the newspaper as `key-conflict`: the first claim wins.
   */
  topic(kind: string, topic: string, name: string, vp: VerificationPlan, pin: boolean): boolean {
    const key = vp.publicKey as Uint8Array
    const request = { name, publicKey: key }
    const r = pin ? this.#keyring.pinTopic(request) : this.#keyring.checkTopic(request)
    if (r.status === 'conflict') {
      const detail =
        r.label === 'name'
          ? 'topic-only claim: the name is pinned to another key'
          : 'topic-only claim: the key already speaks for another name'
      const keys = { pinnedKey: r.pinnedKey, offeredKey: keyText(key) }
      this.#report.keyConflict(kind, topic, r.label, name, undefined, keys, true, detail)
      return false
    }
    return this.#outcome(r, kind, topic, name, key)
  }

  /**
   * After a valid signature: applies the message's pin rule. Returns the trusted senderId
   * (undefined when none), or null when the message was dropped.
   */
  settle(a: Admitted, nowMs: number): string | undefined | null {
    switch (a.pin) {
      case 'none':
        return undefined
      case 'topic':
        // Status.ID stays untrusted: a weak pin never binds a NaraID.
        return this.topic(a.kind, a.topic, a.sender, a.plan, true) ? undefined : null
      case 'sender':
        return this.#settleSender(a, nowMs)
      case 'signed-id':
        return this.#claimSignedId(a)
    }
  }

  /**
   * An attestation verified: the key that signed it claims its signed `attester_id` (undefined
   * when two keys signed it; dropped when the key already signed another ID).
   */
  #claimSignedId(a: Admitted): string | undefined | null {
    const key = a.plan.publicKey
    const id = a.claimedId
    if (key === undefined || id === undefined || id === '') return undefined
    return this.#claimed(a, key, id, true)
  }

  /** Pins the key on first use (provisional) or confirms it; then binds the claimed NaraID. */
  #settleSender(a: Admitted, nowMs: number): string | undefined | null {
    const key = a.plan.publicKey
    if (key === undefined) return undefined
    const { kind, topic, sender } = a
    if (a.firstUse) {
      const r = this.#keyring.pin({ name: sender, publicKey: key }, { provisional: true, nowMs })
      if (!this.#outcome(r, kind, topic, sender, key)) return null
      if (r.status === 'pinned' && r.superseded !== undefined) {
        for (const weak of r.superseded) {
          this.#report.superseded(kind, topic, sender, weak, keyText(key))
        }
      }
    } else {
      this.#keyring.confirm(sender, nowMs)
    }
    const id = a.claimedId
    if (id === undefined || id === '') return undefined
    return this.#claimed(a, key, id, false)
  }

  /**
   * `key` claims NaraID `id` (signed or not): the trusted senderId, undefined when the ID is not
   * trusted (disputed, or held by a signed claim: delivered all the same, the signed part
   * verified), null when the message is dropped (the key already has another ID).
   */
  #claimed(a: Admitted, key: Uint8Array, id: string, signed: boolean): string | undefined | null {
    const { kind, topic, sender } = a
    const claim = this.#keyring.claimId(key, id, { signed })
    switch (claim.status) {
      case 'bound':
      case 'known':
        return id
      case 'disputed':
      case 'held': {
        const keys = { pinnedKey: claim.pinnedKey ?? '', offeredKey: keyText(key) }
        if (claim.status === 'held') {
          const detail = 'the NaraID is bound to another key by a signed claim'
          this.#report.keyConflict(kind, topic, 'naraId', sender, id, keys, false, detail)
        } else if (claim.fresh) {
          this.#report.keyConflict(kind, topic, 'naraId', sender, id, keys, false)
        } else this.#report.idConflict()
        return undefined
      }
      case 'mismatch':
        this.#report.drop('id-mismatch', topic, kind, sender, 'the key already has another NaraID')
        return null
      default:
        return undefined
    }
  }

  /** True for `pinned`/`known`; reports and returns false for every other result. */
  #outcome(r: PinResult, kind: string, topic: string, name: string, key: Uint8Array): boolean {
    switch (r.status) {
      case 'pinned':
      case 'known':
        return true
      case 'conflict': {
        const keys = { pinnedKey: r.pinnedKey, offeredKey: keyText(key) }
        this.#report.keyConflict(kind, topic, r.label, name, undefined, keys)
        return false
      }
      case 'full':
        this.#report.drop('keyring-full', topic, kind, name)
        return false
      case 'refused':
        this.#report.drop('bad-schema', topic, kind, name, r.reason)
        return false
    }
  }
}
