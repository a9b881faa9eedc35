/**
 * The inbound path's replay memories. Policies only READ them before verification; the driver
 * writes a message's replay key once its signature verified (so a forged copy can never shadow
 * the genuine message), and policies record presence facts after delivery decisions.
 */
import { ExpiringSet } from '../expiring-set.js'
import { LruMap } from '../lru.js'
import type { Admitted } from './policy.js'
import type { InboundReport } from './report.js'

/** Sizes and lifetimes of the replay memories. */
export interface ReplayMemoryOptions {
  /** Most unexpired entries per memory. */
  dedupeSize: number
  /** SyncEvent / attestation freshness window, ms: their IDs are remembered twice as long. */
  freshnessWindowMs: number
  /** Howdy window, ms: a From/To/Seq, and a hey_there opening a howdy round, last this long. */
  howdyWindowMs: number
  /** Newspaper Status hashes are remembered this long, ms. */
  newspaperWindowMs: number
}

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
  /** Last newspaper `HostStats.Uptime` per name (reset by a hey_there: a restart). */
  readonly lastUptime: LruMap<string, number>
  readonly #report: InboundReport

  constructor(o: ReplayMemoryOptions, report: InboundReport) {
    // Events are fresh within ±window of the clock: a replay is possible until 2 × window later.
    this.ids = new ExpiringSet(o.dedupeSize, 2 * o.freshnessWindowMs)
    this.howdys = new ExpiringSet(o.dedupeSize, o.howdyWindowMs)
    this.heyThere = new ExpiringSet(o.dedupeSize, o.howdyWindowMs)
    this.papers = new ExpiringSet(o.dedupeSize, o.newspaperWindowMs)
    this.lastUptime = new LruMap<string, number>(o.dedupeSize)
    this.#report = report
  }

  /** Remembers a verified message's replay key; drops it and returns false when it cannot. */
  remember(a: Admitted, nowMs: number): boolean {
    const memory = a.replay
    if (memory === undefined) return true
    const added = memory.add(a.replayKey, nowMs)
    if (added === 'added') return true
    if (added === 'present') this.#report.drop(a.repeated, a.topic, a.kind, a.sender)
    else {
      const detail = 'replay memory full of unexpired entries'
      this.#report.drop('overloaded', a.topic, a.kind, a.sender, detail)
    }
    return false
  }
}
