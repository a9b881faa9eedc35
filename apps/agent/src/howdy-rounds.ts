/**
 * The howdy rounds of one coordinator (`howdy-coordinator.ts`), by newcomer, and how they are
 * forgotten. A round is **open** while its answer delay runs: it gathers the senders with standing
 * of the howdys seen for the newcomer. Once the delay is over (answered, or enough howdys seen) it
 * is **closed**: only its forget time is kept, until `forgetAfterMs` after it opened.
 *
 * One timer per coordinator forgets rounds, not one per round: rounds are kept by opening time (a
 * repeated hey_there deletes its round and adds the new one last), and the sweep is set for the
 * oldest round's forget time; when it fires it forgets every round due from the oldest on. If the
 * wall clock steps back, a round may be forgotten up to that step late.
 *
 * Why: in a town every nara holds a round for every newcomer of the last 30 s (500 naras × ~120
 * newcomers per process at a town of 1,000 joining one nara every 250 ms); a Set, a list array and
 * a forget timer each were most of the join's extra heap.
 */
import type { Clock, TimerHandle } from './clock.js'

/** A round whose answer delay runs. */
export interface OpenRound {
  /** The hey_there's event ID. */
  id: string
  openedAtMs: number
  forgetAtMs: number
  /** Senders with standing of the verified howdys seen (at most `maxResponders`), once any. */
  senders: string[] | undefined
  /** Neighbour lists of those howdys, merged only when this nara answers (rarely). */
  lists: (readonly string[])[] | undefined
  answerTimer: TimerHandle | undefined
}

export interface HowdyRounds {
  /** Opens a round for `name` (forgetting its previous one), timed by `answerTimer`'s caller. */
  open(name: string, id: string): OpenRound
  /** The open round of `name`, if any. */
  openRound(name: string): OpenRound | undefined
  /** Ends the answer delay of `name`'s round `r`: only its forget time is kept. */
  close(name: string, r: OpenRound): void
  /** Forgets `name`'s round (and stops its answer timer). */
  drop(name: string): void
  /** Rounds kept, open and closed. */
  size(): number
  /** The name of the oldest round. */
  oldest(): string | undefined
  stop(): void
}

export function createHowdyRounds(clock: Clock, forgetAfterMs: number): HowdyRounds {
  /** An open round, or a closed round's forget time; by opening time. */
  const rounds = new Map<string, OpenRound | number>()
  let sweep: TimerHandle | undefined

  const forgetAt = (r: OpenRound | number) => (typeof r === 'number' ? r : r.forgetAtMs)
  const drop = (name: string) => {
    const r = rounds.get(name)
    if (r === undefined) return
    if (typeof r !== 'number' && r.answerTimer) clock.clearTimeout(r.answerTimer)
    rounds.delete(name)
  }
  const run = () => {
    sweep = undefined
    const now = clock.now()
    for (const [name, r] of rounds) {
      if (forgetAt(r) > now) break
      drop(name)
    }
    arm()
  }
  const arm = () => {
    if (sweep !== undefined) return
    const first = rounds.values().next()
    if (first.done) return
    sweep = clock.setTimeout(run, Math.max(0, forgetAt(first.value) - clock.now()))
  }

  return {
    open(name, id) {
      drop(name)
      const now = clock.now()
      const r: OpenRound = {
        id,
        openedAtMs: now,
        forgetAtMs: now + forgetAfterMs,
        senders: undefined,
        lists: undefined,
        answerTimer: undefined,
      }
      rounds.set(name, r)
      arm()
      return r
    },
    openRound(name) {
      const r = rounds.get(name)
      return r === undefined || typeof r === 'number' ? undefined : r
    },
    close(name, r) {
      if (r.answerTimer) clock.clearTimeout(r.answerTimer)
      r.answerTimer = undefined
      if (rounds.get(name) === r) rounds.set(name, r.forgetAtMs)
    },
    drop,
    size: () => rounds.size,
    oldest: () => rounds.keys().next().value,
    stop() {
      for (const name of [...rounds.keys()]) drop(name)
      if (sweep !== undefined) clock.clearTimeout(sweep)
      sweep = undefined
    },
  }
}
