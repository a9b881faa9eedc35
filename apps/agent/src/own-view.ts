/**
 * What this nara says about itself: its chattiness (WIRE.md §7.3), its NaraStatus for newspapers
 * and howdys, and the values it proposes for its checkpoint, from its state and run counters.
 */
import type { NaraObservation, NaraStatus } from '@nara/protocol'
import { type Buzz, computeChattiness } from './chattiness.js'
import type { CheckpointValues } from './checkpoint-values.js'
import type { Clock } from './clock.js'
import { HOWDY_OBSERVATIONS_MAX } from './howdy-answer.js'
import type { Identity, RunState } from './identity-store.js'
import type { Neighbourhood } from './neighbourhood.js'
import { auraFromName, buildOwnStatus } from './own-status.js'

/** Chattiness is forced to 100 this long after the start (Go's boot window). */
const BOOT_MS = 120_000

export interface OwnViewOptions {
  identity: Identity
  described: { flair: string; personality: NaraStatus['Personality'] }
  table: Neighbourhood<NaraStatus>
  clock: Clock
  buzz: Buzz
  /** CPU percent of this process since the last sample. */
  cpuPercent: () => number
  /** Forced chattiness 0..100, or undefined for automatic. */
  forcedChattiness: number | undefined
  /** Most entries in a howdy's `Me.Observations` (the most recently seen); default and cap 20. */
  howdyObservationsMax: number | undefined
  startedAtMs: number
  /** Run counters loaded at the start. */
  runState: RunState
}

export interface OwnView {
  chattiness(): number
  /** Own status: slim (`Observations: null`) for a newspaper, full for a howdy's `Me`. */
  status(full: boolean): NaraStatus
  /** Records the buzz of a newspaper that went out (the chattiness rule reads it). */
  published(status: NaraStatus): void
  /** Own checkpoint values: restarts, total uptime and first start, in seconds. */
  values(): CheckpointValues
  /** The run counters to persist now. */
  runState(): RunState
}

export function createOwnView(o: OwnViewOptions): OwnView {
  let lastPublishedBuzz = 0

  const chattiness = (): number => {
    const peerBuzz: number[] = []
    o.table.each((n, state) => {
      if (state === 'ONLINE') peerBuzz.push(Number(n.status?.Buzz ?? 0))
    })
    return computeChattiness({
      forced: o.forcedChattiness,
      localBuzz: o.buzz.value(),
      peerBuzz,
      ownPublishedBuzz: lastPublishedBuzz,
      loadPerCpu: 0,
      booting: o.clock.now() - o.startedAtMs < BOOT_MS && o.forcedChattiness === undefined,
    })
  }

  /**
   * The howdy `Me.Observations` map: the most recently seen naras first, at most
   * `howdyObservationsMax` (never above {@link HOWDY_OBSERVATIONS_MAX}), hearsay left out.
   */
  const howdyObservations = (): Record<string, NaraObservation> => {
    const max = Math.min(o.howdyObservationsMax ?? HOWDY_OBSERVATIONS_MAX, HOWDY_OBSERVATIONS_MAX)
    const out: Record<string, NaraObservation> = {}
    for (const name of mostRecentlySeen(o.table, max)) {
      out[name] = o.table.observationOf(name) as NaraObservation
    }
    return out
  }

  const totalUptimeS = () =>
    o.runState.totalUptimeS + Math.floor((o.clock.now() - o.startedAtMs) / 1000)

  return {
    chattiness,
    status: (full) =>
      buildOwnStatus({
        publicKey: o.identity.publicKeyBase64,
        naraId: o.identity.naraId,
        flair: o.described.flair,
        personality: o.described.personality,
        aura: auraFromName(o.identity.name),
        chattiness: chattiness(),
        buzz: o.buzz.value(),
        observations: full ? howdyObservations() : null,
        procCpuPercent: o.cpuPercent(),
      }),
    published(status) {
      lastPublishedBuzz = Number(status.Buzz)
    },
    values: () => ({
      restarts: Math.max(0, o.runState.starts - 1),
      total_uptime: totalUptimeS(),
      start_time: o.runState.firstStartS,
    }),
    runState: () => ({ ...o.runState, totalUptimeS: totalUptimeS() }),
  }
}

/**
 * The names of the `max` most recently seen rows (hearsay left out), the most recent first and
 * by name among equals. One pass keeping the best `max`: the rows are read through a cursor, so
 * only the names and times kept are copied.
 */
function mostRecentlySeen(table: Pick<Neighbourhood<NaraStatus>, 'each'>, max: number): string[] {
  const top: { name: string; at: number }[] = []
  if (max <= 0) return []
  const before = (at: number, name: string, x: { name: string; at: number }) =>
    at > x.at || (at === x.at && name.localeCompare(x.name) < 0)
  table.each((row) => {
    if (row.hearsay) return
    const at = row.lastSeenMs ?? 0
    const name = row.name
    const last = top[top.length - 1]
    if (top.length === max && last !== undefined && !before(at, name, last)) return
    let i = top.length
    while (i > 0 && before(at, name, top[i - 1] as { name: string; at: number })) i--
    top.splice(i, 0, { name, at })
    if (top.length > max) top.pop()
  })
  return top.map((x) => x.name)
}
