/**
 * The default town's cadences: a show of everything the plaza does within its first minute.
 * A single nara keeps Go's cadences (`timings.ts`); the default town (no `MQTT_HOST`) shortens
 * the checkpoint cadence, staggers its naras' first rounds and sends one nara away and back now
 * and then (`town-show.ts`). A knob set in the environment to something else than Go's value is
 * kept as set. The town's header states what it shortened ({@link describeShow}).
 */
import { GO_TIMINGS, type Timings } from './timings.js'

/** The show's script, in seconds from the start of the town. */
export interface ShowScript {
  /** First tease, then one every `teaseEveryS`. */
  teaseAtS: number
  teaseEveryS: number
  /** A nara says chau at `leaveAtS` and comes back `awayS` later, once every `leaveEveryS`. */
  leaveAtS: number
  awayS: number
  leaveEveryS: number
  /** First checkpoint round at `checkpointFirstS`, the next nara's `checkpointStaggerS` later. */
  checkpointFirstS: number
  checkpointStaggerS: number
}

export const SHOW_SCRIPT: Readonly<ShowScript> = Object.freeze({
  teaseAtS: 12,
  teaseEveryS: 45,
  leaveAtS: 40,
  awayS: 8,
  leaveEveryS: 120,
  checkpointFirstS: 20,
  checkpointStaggerS: 30,
})

/** What the show shortens (each only where the environment left Go's value). */
const SHOW_TIMINGS = {
  /** A proposal is checked for every 2 s (Go: 15 min). */
  checkpointCheckS: 2,
  /** Vote window 15 s (Go: 60 s): votes come within 3 s, a failed round retries sooner. */
  checkpointVoteWindowS: 15,
} as const

/**
 * The timings of nara `index` (0-based) of a show town of `size`: each nara checkpoints every
 * `size × stagger` s (Go: 24 h), nara i first at `first + i × stagger` s, so one round goes on
 * about every `stagger` s in the whole town.
 */
export function showTimings(
  base: Timings,
  index: number,
  size: number,
  script: ShowScript = SHOW_SCRIPT,
): Timings {
  const keep = <K extends keyof Timings>(key: K, value: Timings[K]): Timings[K] =>
    base[key] === GO_TIMINGS[key] ? value : base[key]
  const everyS = Math.max(1, size) * script.checkpointStaggerS
  const explicitCadence = base.checkpointEveryS !== GO_TIMINGS.checkpointEveryS
  return {
    ...base,
    checkpointCheckS: keep('checkpointCheckS', SHOW_TIMINGS.checkpointCheckS),
    checkpointVoteWindowS: keep('checkpointVoteWindowS', SHOW_TIMINGS.checkpointVoteWindowS),
    checkpointEveryS: keep('checkpointEveryS', everyS),
    checkpointFirstS: explicitCadence
      ? base.checkpointFirstS
      : script.checkpointFirstS + index * script.checkpointStaggerS,
  }
}

/** One line for the town's header: what the show shortened (Go's values stay for one nara). */
export function describeShow(size: number, script: ShowScript = SHOW_SCRIPT): string {
  const every = Math.max(1, size) * script.checkpointStaggerS
  return `show cadence: checkpoints every ${every} s (Go: 24 h), a chau every ${script.leaveEveryS} s`
}
