/**
 * How the inbound path reports what it did not deliver: every drop is counted under one reason
 * (and raised as a `drop` event), every key conflict is logged and raised. Nothing here throws.
 */
import type { Verdict } from '@nara/crypto'
import type { Counters, DropReason } from '../counters.js'
import type { Keyring, WeakPin } from '../keyring.js'
import type { Logger } from '../logger.js'
import type { DropEvent, KeyConflictEvent } from '../plaza-event.js'

/** Which pinned label a message contradicts (see {@link KeyConflictEvent.label}). */
export type ConflictLabel = 'name' | 'naraId' | 'publicKey'

/** The collaborators of {@link InboundReport}. */
export interface InboundReportOptions {
  counters: Counters
  logger: Logger
  keyring: Keyring
  onDrop?: ((drop: DropEvent) => void) | undefined
  onKeyConflict?: ((conflict: KeyConflictEvent) => void) | undefined
}

/** Base64 of a key, '' when there is none. */
export function keyText(key: Uint8Array | undefined): string {
  return key === undefined ? '' : Buffer.from(key).toString('base64')
}

/** Drops and key conflicts of the inbound path: counted, logged, raised. */
export class InboundReport {
  readonly #o: InboundReportOptions

  constructor(options: InboundReportOptions) {
    this.#o = options
  }

  /** Counts a drop under `reason` and raises it. */
  drop(reason: DropReason, topic: string, kind?: string, claimed?: string, detail?: string): void {
    this.#o.counters.dropped(reason)
    const onDrop = this.#o.onDrop
    if (onDrop !== undefined) {
      onDrop(Object.freeze({ reason, topic, kind, claimedSender: claimed, detail }))
    }
  }

  /**
   * A key contradicts a pin. `dropped`: the message is dropped as `key-conflict`; otherwise it is
   * delivered all the same (a disputed NaraID) and counted in `idConflicts`.
   */
  keyConflict(
    kind: string,
    topic: string,
    label: ConflictLabel,
    name: string | undefined,
    naraId: string | undefined,
    keys: { pinnedKey: string; offeredKey: string },
    dropped = true,
    detail = `${label} is pinned to another key`,
  ): void {
    if (dropped) this.drop('key-conflict', topic, kind, name, detail)
    else this.#o.counters.idConflict()
    this.#o.logger.warn({ kind, topic, name, naraId, label, dropped }, 'key conflict')
    this.#o.onKeyConflict?.(Object.freeze({ kind, topic, label, name, naraId, ...keys }))
  }

  /** A delivered message's NaraID was already disputed (counted in `idConflicts`). */
  idConflict(): void {
    this.#o.counters.idConflict()
  }

  /** A signed-name claim by `name` with `offeredKey` replaced a topic-only pin it disagrees with. */
  superseded(kind: string, topic: string, name: string, weak: WeakPin, offeredKey: string): void {
    this.#o.counters.weakPinSuperseded()
    const label = weak.name === name ? 'name' : 'publicKey'
    this.#o.logger.info(
      { kind, topic, name, label, weakName: weak.name },
      'topic-only pin superseded',
    )
    this.#o.onKeyConflict?.(
      Object.freeze({
        kind,
        topic,
        label,
        name,
        naraId: undefined,
        pinnedKey: weak.publicKey,
        offeredKey,
        weakPin: Object.freeze({ ...weak }),
      }),
    )
  }

  /** Drops a message for crypto's reject verdict, mapped onto the plaza's drop reasons. */
  rejected(
    v: Verdict,
    topic: string,
    kind: string,
    claimed: string,
    offeredKey: string | undefined,
  ): void {
    switch (v.reason) {
      case 'key-conflict': {
        const pinnedKey = this.#o.keyring.lookup(claimed) ?? ''
        const keys = { pinnedKey, offeredKey: offeredKey ?? '' }
        this.keyConflict(kind, topic, 'name', claimed, undefined, keys)
        return
      }
      case 'self-certified':
        this.drop('unknown-sender', topic, kind, claimed, 'name not pinned by a signed message')
        return
      case 'malformed':
        this.drop('bad-schema', topic, kind, claimed, v.detail)
        return
      case 'unsupported':
      case undefined:
        this.drop('internal-error', topic, kind, claimed, v.detail)
        return
      default:
        this.drop(v.reason, topic, kind, claimed, v.detail)
    }
  }
}
