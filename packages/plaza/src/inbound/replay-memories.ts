/**
 * The inbound path's replay memories. Policies only READ them before verification; the driver
 * writes a message's replay key once its signature verified (so a forged copy can never shadow
 * the genuine message), and policies record presence facts after delivery decisions. Each key
 * is owned by the message's sender: a sender holds at most `dedupeSizePerSender` keys of a
 * memory, and a full memory makes room at the expense of the sender holding the most (senders
 * without standing first), so one sender can never make another's traffic `overloaded`.
 */
import { ExpiringSet } from '../expiring-set.js'
import type { Keyring } from '../keyring.js'
import { NewspaperClock } from './newspaper-clock.js'
import type { Admitted } from './policy.js'
import type { InboundReport } from './report.js'

/** Sizes and lifetimes of the replay memories. */
export interface ReplayMemoryOptions {
  /** Most unexpired entries per memory. */
  dedupeSize: number
  /** Most unexpired entries one sender holds in each memory (capped at `dedupeSize`). */
  dedupeSizePerSender: number
  /** SyncEvent / attestation freshness window, ms: their IDs are remembered twice as long. */
  freshnessWindowMs: number
  /** Howdy window, ms: a From/To/Seq, and a hey_there opening a howdy round, last this long. */
  howdyWindowMs: number
  /** Newspaper Status hashes are remembered this long, ms. */
  newspaperWindowMs: number
}

/**
 * How long after its signed `as_of_time` a final checkpoint may still arrive, ms: the voting
 * round between the proposal and the final.
 */
export const FINAL_LAG_MS = 120_000

/** The memories {@link ReplayMemories.sizes} reports. */
export type MemoryName = 'ids' | 'finals' | 'howdys' | 'heyThere' | 'papers' | 'newspaperClock'

/** Every memory the inbound path keeps, bounded and expiring. */
export class ReplayMemories {
  /** Event IDs and signed-content keys (SyncEvents, attestations, checkpoint values). */
  readonly ids: ExpiringSet
  /** Howdy From/To/Seq. */
  readonly howdys: ExpiringSet
  /** Names whose verified hey_there opened a howdy round. */
  readonly heyThere: ExpiringSet
  /** Newspaper name + Status hash. */
  readonly papers: ExpiringSet
  /** Newspaper boot anchors per name (reset by a hey_there: a restart). */
  readonly newspaperClock: NewspaperClock
  /** Checkpoint values of finals, remembered while their signed `as_of_time` is fresh. */
  readonly finals: ExpiringSet
  readonly #report: InboundReport
  readonly #keyring: Keyring

  constructor(o: ReplayMemoryOptions, report: InboundReport, keyring: Keyring) {
    const perSender = Math.min(o.dedupeSizePerSender, o.dedupeSize)
    // Events are fresh within ±window of the clock: a replay is possible until 2 × window later,
    // that last millisecond included (hence the + 1).
    this.ids = new ExpiringSet(o.dedupeSize, 2 * o.freshnessWindowMs + 1, perSender)
    // A final is fresh while as_of_time is within [now - window - FINAL_LAG_MS, now + window].
    const finalsTtlMs = 2 * o.freshnessWindowMs + FINAL_LAG_MS + 1
    this.finals = new ExpiringSet(o.dedupeSize, finalsTtlMs, perSender)
    this.howdys = new ExpiringSet(o.dedupeSize, o.howdyWindowMs, perSender)
    this.heyThere = new ExpiringSet(o.dedupeSize, o.howdyWindowMs, perSender)
    this.papers = new ExpiringSet(o.dedupeSize, o.newspaperWindowMs, perSender)
    this.newspaperClock = new NewspaperClock({ maxNames: o.dedupeSize })
    this.#report = report
    this.#keyring = keyring
  }

  /** Unexpired entries of each memory at `nowMs` (each at most `dedupeSize`). */
  sizes(nowMs: number): Record<MemoryName, number> {
    return {
      ids: this.ids.size(nowMs),
      finals: this.finals.size(nowMs),
      howdys: this.howdys.size(nowMs),
      heyThere: this.heyThere.size(nowMs),
      papers: this.papers.size(nowMs),
      newspaperClock: this.newspaperClock.size,
    }
  }

  /** Remembers a verified message's replay key; drops it and returns false when it cannot. */
  remember(a: Admitted, nowMs: number): boolean {
    const memory = a.replay
    if (memory === undefined) return true
    const by = { owner: a.sender, standing: this.#keyring.isDurable(a.sender) }
    const added = memory.add(a.replayKey, nowMs, by)
    if (added === 'added') return true
    if (added === 'present') this.#report.drop(a.repeated, a.topic, a.kind, a.sender)
    else {
      const detail = "the sender's share of the replay memory is full"
      this.#report.drop('overloaded', a.topic, a.kind, a.sender, detail)
    }
    return false
  }
}
