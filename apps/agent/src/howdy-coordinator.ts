/**
 * Howdy self-selection (WIRE.md §6.3): on a foreign hey_there, wait uniform 0..3 s, count the
 * howdys already seen for that newcomer, and answer only if fewer than 10 were seen. `Seq` is
 * "howdys seen for the newcomer, plus one".
 *
 * Differences from Go: only howdys that passed verification are counted (Go counts before
 * verifying, so forged howdys can silence real responders, WIRE.md §12.7), each sender once,
 * and only senders that had **standing** when the round opened (a durable key pin: keys cost
 * nothing, so 10 throwaway keys must not silence the responders). Answering is budgeted
 * (`howdy-budget.ts`: 10 howdys at once, then one per 10 s, one per newcomer per window), so a
 * flood of hey_theres from fresh names cannot make this nara an amplifier.
 *
 * Naras of one process (a town) can share a {@link HowdyBoard}: the howdys that co-residents have
 * already sent for the same hey_there count at once, without waiting for their copies to come back
 * through the broker. A busy town otherwise answers each newcomer many more than 10 times (every
 * candidate whose timer fires before the first answers are back answers too), and each extra howdy
 * is one more message for every nara.
 */
import { type Clock, type Random, randomInt } from './clock.js'
import { createHowdyBudget, type HowdyBudget, type HowdyBudgetOptions } from './howdy-budget.js'
import { createHowdyRounds, type OpenRound } from './howdy-rounds.js'
import type { Neighbour, NeighbourState } from './neighbourhood.js'

export const MAX_HOWDY_RESPONDERS = 10
/** Most howdy rounds in progress at once (a flood of hey_theres forgets its oldest rounds). */
export const MAX_HOWDY_ROUNDS = 1024

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
  /**
   * Whether a howdy's sender counts towards the 10: it must have had standing (a durable key
   * pin) before `roundOpenedAtMs`, when the newcomer's hey_there arrived.
   */
  hadStanding: (name: string, roundOpenedAtMs: number) => boolean
  /** The answer budget (`burst`, `everyMs`); the per-newcomer window is `forgetAfterMs`. */
  budget?: Pick<HowdyBudgetOptions, 'burst' | 'everyMs'>
  /** Publishes the howdy; returns the neighbour names it listed (for the board). */
  respond: (reply: HowdyReply) => readonly string[] | undefined
  /** Answers already sent by naras of this process (town), shared by their coordinators. */
  board?: HowdyBoard
}

/** Howdys sent by the naras of one process, per newcomer and hey_there (see the header). */
export interface HowdyBoard {
  /** Responders and names mentioned so far in `round` (a hey_there's event ID) of `to`. */
  get(
    to: string,
    round: string,
  ): { responders: ReadonlySet<string>; mentioned: ReadonlySet<string> } | undefined
  /** `responder` answered `to` in `round`, listing `mentioned`. */
  record(to: string, round: string, responder: string, mentioned: readonly string[]): void
}

/** A board for the coordinators of one process; it keeps the latest round of each newcomer. */
export function createHowdyBoard(maxNewcomers = 10_000): HowdyBoard {
  const rounds = new Map<
    string,
    { round: string; responders: Set<string>; mentioned: Set<string> }
  >()
  return {
    get(to, round) {
      const r = rounds.get(to)
      return r !== undefined && r.round === round ? r : undefined
    },
    record(to, round, responder, mentioned) {
      let r = rounds.get(to)
      if (r === undefined || r.round !== round) {
        if (r === undefined && rounds.size >= maxNewcomers) rounds.clear()
        r = { round, responders: new Set(), mentioned: new Set() }
        rounds.set(to, r)
      }
      r.responders.add(responder)
      r.mentioned.add(responder)
      for (const name of mentioned) r.mentioned.add(name)
    },
  }
}

export interface HowdyCoordinator {
  /** A verified hey_there from `from` (`round`: its event ID): starts (or restarts) a round. */
  onHeyThere(from: string, round?: string): void
  /** A verified howdy seen on the plaza (from anyone to anyone). */
  onHowdy(howdy: { from: string; to: string; neighbours: readonly string[] }): void
  /** Rounds in progress (for tests and status). */
  active(): number
  /** Howdys sent, answers the budget refused, and answers it allows now. */
  stats(): HowdyStats
  stop(): void
}

export interface HowdyStats {
  answered: number
  refusedByBudget: number
  /** Whole answers the budget allows now. */
  tokens: number
  /** Rounds in progress. */
  rounds: number
}

export function createHowdyCoordinator(options: HowdyCoordinatorOptions): HowdyCoordinator {
  const { me, clock, random } = options
  const delayMaxMs = options.delayMaxMs ?? 3000
  const forgetAfterMs = options.forgetAfterMs ?? 30_000
  const max = options.maxResponders ?? MAX_HOWDY_RESPONDERS
  const rounds = createHowdyRounds(clock, forgetAfterMs)
  const budget = createHowdyBudget({ clock, ...options.budget, perNameMs: forgetAfterMs })
  let answered = 0

  return {
    onHeyThere(from, id = '') {
      if (from === '' || from === me) return
      // Answered within the window already: no new round (a repeated hey_there gets no answer).
      if (budget.answeredRecently(from)) return
      rounds.drop(from)
      if (rounds.size() >= MAX_HOWDY_ROUNDS) rounds.drop(rounds.oldest() as string)
      const round = rounds.open(from, id)
      round.answerTimer = clock.setTimeout(
        () => {
          round.answerTimer = undefined
          if (answerRound(options, budget, from, round, max)) answered += 1
          rounds.close(from, round)
        },
        randomInt(random, delayMaxMs),
      )
    },
    onHowdy({ from, to, neighbours }) {
      if (from === me) return
      const r = rounds.openRound(to)
      if (!r || r.answerTimer === undefined) return
      if (!options.hadStanding(from, r.openedAtMs)) return
      r.senders ??= []
      if (!r.senders.includes(from)) r.senders.push(from)
      if (neighbours.length > 0) {
        r.lists ??= []
        r.lists.push(neighbours)
      }
      if (r.senders.length >= max) rounds.close(to, r)
    },
    active: () => rounds.size(),
    stats: () => ({
      answered,
      refusedByBudget: budget.refused(),
      tokens: budget.tokens(),
      rounds: rounds.size(),
    }),
    stop: () => rounds.stop(),
  }
}

/**
 * A round's delay ran out: answer unless `max` howdys were seen (senders with standing, and
 * co-residents on the board) or the budget says no. Returns whether it answered.
 */
function answerRound(
  o: HowdyCoordinatorOptions,
  budget: HowdyBudget,
  from: string,
  round: OpenRound,
  max: number,
): boolean {
  const local = o.board?.get(from, round.id)
  const senders = round.senders ?? []
  let seen = senders.length
  for (const r of local?.responders ?? []) if (!senders.includes(r)) seen += 1
  if (seen >= max || !budget.take(from)) return false
  const mentioned = new Set([...senders, ...(local?.mentioned ?? [])])
  for (const list of round.lists ?? []) for (const name of list) mentioned.add(name)
  const listed = o.respond({ to: from, seq: seen + 1, mentioned })
  o.board?.record(from, round.id, o.me, listed ?? [])
  return true
}

const STATE_RANK: Record<NeighbourState, number> = { ONLINE: 0, MISSING: 1, OFFLINE: 1, hearsay: 2 }

/**
 * `selectNeighbors` of §6.3: every known nara except the newcomer, the already-mentioned ones
 * and hearsay (names this nara has no verified evidence of are not passed on), ONLINE first,
 * then least recently seen first, at most `max` (10).
 */
export function selectNeighbours<N extends Pick<Neighbour, 'name' | 'state' | 'lastSeenMs'>>(
  known: readonly N[],
  newcomer: string,
  mentioned: ReadonlySet<string>,
  max = 10,
): N[] {
  return known
    .filter((n) => n.name !== newcomer && !mentioned.has(n.name) && n.state !== 'hearsay')
    .sort(
      (a, b) =>
        STATE_RANK[a.state] - STATE_RANK[b.state] ||
        (a.lastSeenMs ?? 0) - (b.lastSeenMs ?? 0) ||
        a.name.localeCompare(b.name),
    )
    .slice(0, max)
}
