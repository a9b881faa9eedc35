/**
 * The boot anchor of each name's newspapers. A newspaper carries no time: its signed Status has
 * only `HostStats.Uptime` (the host's uptime, s), so a genuine paper recorded once replays
 * verbatim forever. What a receiver can check is that a paper fits the host's boot: a paper with
 * Uptime U received at `now` implies the host booted at `b = now - U·1000`. Per name, a bounded
 * anchor `{ bootMs, lastUptimeS, lastAtMs }` and a few candidate boots:
 *
 * 1. no anchor: accepted, anchored;
 * 2. same boot (`|b - bootMs| <= slack`) and `U >= lastUptimeS`: accepted;
 * 3. reboot: `b > bootMs + slack` and the host booted after the last paper accepted
 *    (`U·1000 <= now - lastAtMs + slack`): accepted, re-anchored;
 * 4. otherwise stale ("Uptime does not fit the host's boot"), remembered as a CANDIDATE boot (up
 *    to `maxCandidates` per name, oldest dropped). A later paper of the same boot as a candidate,
 *    its Uptime grown, at least `candidateGapMs` after it, is accepted and re-anchored: a genuine
 *    reboot whose hey_there was lost is refused for one paper (or the papers within that gap).
 *
 * A verified hey_there forgets the anchor (a restart). So a replayed paper counts only when the
 * name was silent for longer than the paper's Uptime; a recording replayed at its original pace
 * passes for the recording's length. Only verified papers are ever recorded here.
 */
import { LruMap } from '../lru.js'

/** Tunables of {@link NewspaperClock} (defaults from the design: 30 s, 8, 10 s). */
export interface NewspaperClockOptions {
  /** Most names with an anchor (least recently used forgotten first). */
  readonly maxNames: number
  /** Tolerance of a boot time, ms (network delay, clock steps). Default 30 000. */
  readonly slackMs?: number
  /** Candidate boots kept per name. Default 8. */
  readonly maxCandidates?: number
  /** A candidate confirms a boot only for a paper at least this much later, ms. Default 10 000. */
  readonly candidateGapMs?: number
}

interface Boot {
  bootMs: number
  uptimeS: number
  atMs: number
}

interface Anchor extends Boot {
  readonly candidates: Boot[]
}

/** Whether a paper fits its name's boot anchor (see the module comment). */
export class NewspaperClock {
  readonly #anchors: LruMap<string, Anchor>
  readonly #slackMs: number
  readonly #maxCandidates: number
  readonly #gapMs: number

  constructor(o: NewspaperClockOptions) {
    this.#anchors = new LruMap(o.maxNames)
    this.#slackMs = o.slackMs ?? 30_000
    this.#maxCandidates = o.maxCandidates ?? 8
    this.#gapMs = o.candidateGapMs ?? 10_000
  }

  /**
   * A verified paper of `name` with Uptime `uptimeS` at `nowMs`: true when it fits (the anchor
   * moves with it), false when it is stale (remembered as a candidate boot).
   */
  record(name: string, uptimeS: number, nowMs: number): boolean {
    const paper: Boot = { bootMs: nowMs - uptimeS * 1000, uptimeS, atMs: nowMs }
    const anchor = this.#anchors.get(name)
    if (anchor === undefined || this.#fits(anchor, paper)) {
      this.#anchors.set(name, { ...paper, candidates: [] })
      return true
    }
    if (this.#sameBoot(anchor, paper) && uptimeS >= anchor.uptimeS) {
      anchor.uptimeS = uptimeS
      anchor.atMs = nowMs
      return true
    }
    anchor.candidates.push(paper)
    if (anchor.candidates.length > this.#maxCandidates) anchor.candidates.shift()
    return false
  }

  /** A restart of `name` (its verified hey_there): its next paper anchors anew. */
  forget(name: string): void {
    this.#anchors.delete(name)
  }

  /** Names with an anchor. */
  get size(): number {
    return this.#anchors.size
  }

  /** A reboot after the last accepted paper, or a paper confirming a candidate boot. */
  #fits(anchor: Anchor, paper: Boot): boolean {
    const s = this.#slackMs
    const reboot =
      paper.bootMs > anchor.bootMs + s && paper.uptimeS * 1000 <= paper.atMs - anchor.atMs + s
    return (
      reboot ||
      anchor.candidates.some(
        (c) =>
          this.#sameBoot(c, paper) &&
          paper.uptimeS > c.uptimeS &&
          paper.atMs - c.atMs >= this.#gapMs,
      )
    )
  }

  #sameBoot(a: Boot, b: Boot): boolean {
    return Math.abs(a.bootMs - b.bootMs) <= this.#slackMs
  }
}
