/**
 * Prometheus metrics (prom-client), one registry per agent so naras sharing a process never mix
 * their numbers.
 */
import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { corruptFileCounts } from './corrupt-files.js'
import { NEIGHBOUR_STATES, type NeighbourState } from './neighbourhood.js'

export { createProcessMetrics } from './process-metrics.js'

export interface AgentMetrics {
  registry: Registry
  messageIn(topicKind: string): void
  messageOut(topicKind: string): void
  /** A dropped inbound message; `kind` and `detail` (the plaza's rule) refine `dropDetails`. */
  drop(reason: string, kind?: string, detail?: string): void
  reconnect(): void
  keyConflict(): void
  /** A run of `count` signature checks took `seconds` (each check observed at the mean). */
  verified(count: number, seconds: number): void
  /** Plain-number snapshot for /status and the town table. */
  snapshot(): MetricsSnapshot
}

export interface MetricsSnapshot {
  in: Record<string, number>
  out: Record<string, number>
  drops: Record<string, number>
  /**
   * Drops by `reason kind: detail` (e.g. `stale howdy: no recent hey_there from To`); at most
   * {@link DROP_DETAILS_MAX} keys, the rest under `other`. Not exported to Prometheus.
   */
  dropDetails: Record<string, number>
  reconnects: number
  keyConflicts: number
}

export const DROP_DETAILS_MAX = 64

/**
 * Registers `nara_verify_seconds` in `registry`; the returned function observes a run of `count`
 * signature checks that took `seconds` (each check at the run's mean).
 */
export function verifyHistogram(registry: Registry): (count: number, seconds: number) => void {
  const histogram = new Histogram({
    name: 'nara_verify_seconds',
    help: 'Time to verify one signature of an inbound message (a batch: its mean per check)',
    buckets: [0.00005, 0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01],
    registers: [registry],
  })
  return (count, seconds) => {
    const each = seconds / count
    for (let i = 0; i < count; i++) histogram.observe(each)
  }
}

export function createMetrics(options: {
  name: string
  neighbourCounts: () => Record<NeighbourState, number>
  /** Whether the broker connection is up now (read at each scrape). */
  connected: () => boolean
}): AgentMetrics {
  const registry = new Registry()
  registry.setDefaultLabels({ nara: options.name })
  // Counted in the snapshot (one property bump per message, the hottest path of a town) and
  // copied into prom-client when scraped.
  new Counter({
    name: 'nara_messages_in_total',
    help: 'Messages received, by topic kind',
    labelNames: ['topic'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [topic, n] of Object.entries(snap.in)) this.inc({ topic }, n)
    },
  })
  // State files found corrupt at start and set aside (process-wide: a town's keyring is shared).
  new Counter({
    name: 'nara_state_files_corrupt_total',
    help: 'State files (keyring, state) found corrupt at start and kept aside as <file>.corrupt-<time>',
    labelNames: ['file'],
    registers: [registry],
    collect() {
      this.reset()
      for (const [file, n] of corruptFileCounts()) this.inc({ file }, n)
    },
  })
  const outCounter = new Counter({
    name: 'nara_messages_out_total',
    help: 'Messages published, by topic kind',
    labelNames: ['topic'],
    registers: [registry],
  })
  const drops = new Counter({
    name: 'nara_drops_total',
    help: 'Inbound messages dropped, by reason',
    labelNames: ['reason'],
    registers: [registry],
  })
  const reconnects = new Counter({
    name: 'nara_reconnects_total',
    help: 'Broker reconnections',
    registers: [registry],
  })
  const conflicts = new Counter({
    name: 'nara_key_conflicts_total',
    help: 'Messages whose key differs from the pinned one',
    registers: [registry],
  })
  // Registered at the first verification: a town's naras have none of their own (the town's
  // receiver verifies once for all, and the town reports it).
  let verify: ((count: number, seconds: number) => void) | undefined
  new Gauge({
    name: 'nara_connected',
    help: '1 while the broker connection is up, 0 otherwise',
    registers: [registry],
    collect() {
      this.set(options.connected() ? 1 : 0)
    },
  })
  new Gauge({
    name: 'nara_neighbours',
    help: 'Known naras, by presence state (hearsay: only named by others, never ONLINE)',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const counts = options.neighbourCounts()
      for (const state of NEIGHBOUR_STATES) this.set({ state }, counts[state])
    },
  })
  const snap: MetricsSnapshot = {
    in: {},
    out: {},
    drops: {},
    dropDetails: {},
    reconnects: 0,
    keyConflicts: 0,
  }
  const bump = (m: Record<string, number>, k: string) => {
    m[k] = (m[k] ?? 0) + 1
  }
  return {
    registry,
    messageIn(topic) {
      bump(snap.in, topic)
    },
    messageOut(topic) {
      outCounter.inc({ topic })
      bump(snap.out, topic)
    },
    drop(reason, kind, detail) {
      drops.inc({ reason })
      bump(snap.drops, reason)
      let key = `${reason} ${kind ?? '?'}${detail ? `: ${detail}` : ''}`
      if (
        snap.dropDetails[key] === undefined &&
        Object.keys(snap.dropDetails).length >= DROP_DETAILS_MAX
      )
        key = 'other'
      bump(snap.dropDetails, key)
    },
    reconnect() {
      reconnects.inc()
      snap.reconnects += 1
    },
    keyConflict() {
      conflicts.inc()
      snap.keyConflicts += 1
    },
    verified(count, seconds) {
      verify ??= verifyHistogram(registry)
      verify(count, seconds)
    },
    snapshot: () => structuredClone(snap),
  }
}
