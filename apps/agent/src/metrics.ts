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

export interface MetricsOptions {
  name: string
  neighbourCounts: () => Record<NeighbourState, number>
  /** Whether the broker connection is up now (read at each scrape). */
  connected: () => boolean
}

export function createMetrics(options: MetricsOptions): AgentMetrics {
  return new Metrics(options)
}

/**
 * {@link AgentMetrics}: what the hottest paths count is bumped in the snapshot and copied into
 * prom-client when scraped; the rest is counted in both at once.
 */
class Metrics implements AgentMetrics {
  readonly registry = new Registry()
  readonly #snap: MetricsSnapshot = {
    in: {},
    out: {},
    drops: {},
    dropDetails: {},
    reconnects: 0,
    keyConflicts: 0,
  }
  readonly #out: Counter<'topic'>
  readonly #drops: Counter<'reason'>
  readonly #reconnects: Counter
  readonly #conflicts: Counter
  /**
   * Registered at the first verification: a town's naras have none of their own (the town's
   * receiver verifies once for all, and the town reports it).
   */
  #verify: ((count: number, seconds: number) => void) | undefined

  constructor(options: MetricsOptions) {
    const registers = [this.registry]
    this.registry.setDefaultLabels({ nara: options.name })
    registerScrapedCounters(this.registry, this.#snap)
    this.#out = new Counter({
      name: 'nara_messages_out_total',
      help: 'Messages published, by topic kind',
      labelNames: ['topic'],
      registers,
    })
    this.#drops = new Counter({
      name: 'nara_drops_total',
      help: 'Inbound messages dropped, by reason',
      labelNames: ['reason'],
      registers,
    })
    this.#reconnects = new Counter({
      name: 'nara_reconnects_total',
      help: 'Broker reconnections',
      registers,
    })
    this.#conflicts = new Counter({
      name: 'nara_key_conflicts_total',
      help: 'Messages whose key differs from the pinned one',
      registers,
    })
    registerScrapedGauges(this.registry, options)
  }

  messageIn(topic: string): void {
    bump(this.#snap.in, topic)
  }

  messageOut(topic: string): void {
    this.#out.inc({ topic })
    bump(this.#snap.out, topic)
  }

  drop(reason: string, kind?: string, detail?: string): void {
    this.#drops.inc({ reason })
    bump(this.#snap.drops, reason)
    bump(this.#snap.dropDetails, dropDetailKey(this.#snap.dropDetails, reason, kind, detail))
  }

  reconnect(): void {
    this.#reconnects.inc()
    this.#snap.reconnects += 1
  }

  keyConflict(): void {
    this.#conflicts.inc()
    this.#snap.keyConflicts += 1
  }

  verified(count: number, seconds: number): void {
    this.#verify ??= verifyHistogram(this.registry)
    this.#verify(count, seconds)
  }

  snapshot(): MetricsSnapshot {
    return structuredClone(this.#snap)
  }
}

const bump = (m: Record<string, number>, k: string) => {
  m[k] = (m[k] ?? 0) + 1
}

/** `reason kind: detail`, or `other` once {@link DROP_DETAILS_MAX} other keys are counted. */
function dropDetailKey(
  details: Record<string, number>,
  reason: string,
  kind: string | undefined,
  detail: string | undefined,
): string {
  const key = `${reason} ${kind ?? '?'}${detail ? `: ${detail}` : ''}`
  if (details[key] === undefined && Object.keys(details).length >= DROP_DETAILS_MAX) return 'other'
  return key
}

/**
 * The counters copied in at each scrape: inbound messages from `snap` (one property bump per
 * message, the hottest path of a town), and the state files found corrupt at start.
 */
function registerScrapedCounters(registry: Registry, snap: MetricsSnapshot): void {
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
  // Process-wide: a town's keyring is shared.
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
}

/** The gauges read at each scrape: the connection, and the neighbours by state. */
function registerScrapedGauges(registry: Registry, options: MetricsOptions): void {
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
}
