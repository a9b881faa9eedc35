/**
 * Howdy self-selection (WIRE.md §6.3): on a foreign hey_there, wait uniform 0..3 s, count the
 * howdys already seen for that newcomer, and answer only if fewer than 10 were seen. `Seq` is
 * "howdys seen for the newcomer, plus one".
 *
 * Difference from Go: only howdys that passed verification are counted (Go counts before
 * verifying, so forged howdys can silence real responders, WIRE.md §12.7).
 */
import { type Clock, type Random, randomInt, type TimerHandle } from './clock.js'
import type { Neighbour, PresenceState } from './neighbourhood.js'

export const MAX_HOWDY_RESPONDERS = 10

export interface HowdyReply {
  /** The newcomer. */
  to: string
  /** 1..10. */
  seq: number
  /** Names already mentioned by other howdys (exclude them from `Neighbors`). */
  mentioned: ReadonlySet<string>
}

export interface HowdyCoordinatorOptions {
  me: string
  clock: Clock
  random: Random
  /** Upper bound (exclusive) of the answer delay, ms (default 3000). */
  delayMaxMs?: number
  /** How long a coordination round is remembered, ms (default 30 000). */
  forgetAfterMs?: number
  /** Answers at most this many per newcomer (default 10). */
  maxResponders?: number
  /** Publishes the howdy. */
  respond: (reply: HowdyReply) => void
}

export interface HowdyCoordinator {
  /** A verified hey_there from `from`: starts (or restarts) a round. */
  onHeyThere(from: string): void
  /** A verified howdy seen on the plaza (from anyone to anyone). */
  onHowdy(howdy: { from: string; to: string; neighbours: readonly string[] }): void
  /** Rounds in progress (for tests and status). */
  active(): number
  stop(): void
}

interface Round {
  seen: number
  mentioned: Set<string>
  responded: boolean
  answerTimer: TimerHandle | undefined
  forgetTimer: TimerHandle
}

export function createHowdyCoordinator(options: HowdyCoordinatorOptions): HowdyCoordinator {
  const { me, clock, random, respond } = options
  const delayMaxMs = options.delayMaxMs ?? 3000
  const forgetAfterMs = options.forgetAfterMs ?? 30_000
  const max = options.maxResponders ?? MAX_HOWDY_RESPONDERS
  const rounds = new Map<string, Round>()

  const cancel = (r: Round) => {
    if (r.answerTimer) clock.clearTimeout(r.answerTimer)
    r.answerTimer = undefined
  }

  const drop = (name: string) => {
    const r = rounds.get(name)
    if (!r) return
    cancel(r)
    clock.clearTimeout(r.forgetTimer)
    rounds.delete(name)
  }

  return {
    onHeyThere(from) {
      if (from === '' || from === me) return
      drop(from)
      const round: Round = {
        seen: 0,
        mentioned: new Set(),
        responded: false,
        answerTimer: undefined,
        forgetTimer: clock.setTimeout(() => {
          if (rounds.get(from) === round) drop(from)
        }, forgetAfterMs),
      }
      round.answerTimer = clock.setTimeout(
        () => {
          round.answerTimer = undefined
          if (round.responded || round.seen >= max) return
          round.responded = true
          round.seen += 1
          respond({ to: from, seq: round.seen, mentioned: new Set(round.mentioned) })
        },
        randomInt(random, delayMaxMs),
      )
      rounds.set(from, round)
    },
    onHowdy({ from, to, neighbours }) {
      if (from === me) return
      const r = rounds.get(to)
      if (!r) return
      r.seen += 1
      r.mentioned.add(from)
      for (const n of neighbours) r.mentioned.add(n)
      if (r.seen >= max) cancel(r)
    },
    active: () => rounds.size,
    stop() {
      for (const name of [...rounds.keys()]) drop(name)
    },
  }
}

const STATE_RANK: Record<PresenceState, number> = { ONLINE: 0, MISSING: 1, OFFLINE: 1 }

/**
 * `selectNeighbors` of §6.3: every known nara except the newcomer and the already-mentioned
 * ones, ONLINE first, then least recently seen first, at most `max` (10).
 */
export function selectNeighbours<N extends Pick<Neighbour, 'name' | 'state' | 'lastSeenMs'>>(
  known: readonly N[],
  newcomer: string,
  mentioned: ReadonlySet<string>,
  max = 10,
): N[] {
  return known
    .filter((n) => n.name !== newcomer && !mentioned.has(n.name))
    .sort(
      (a, b) =>
        STATE_RANK[a.state] - STATE_RANK[b.state] ||
        (a.lastSeenMs ?? 0) - (b.lastSeenMs ?? 0) ||
        a.name.localeCompare(b.name),
    )
    .slice(0, max)
}
