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
import type { NeighbourFacts, Neighbourhood } from './neighbourhood.js'
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
    const known: Readonly<NeighbourFacts>[] = []
    o.table.each((row) => {
      if (!row.hearsay) known.push(row)
    })
    const recent = known
      .sort((a, b) => (b.lastSeenMs ?? 0) - (a.lastSeenMs ?? 0) || a.name.localeCompare(b.name))
      .slice(0, max)
    for (const n of recent) out[n.name] = o.table.observationOf(n.name) as NaraObservation
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
