/**
 * Staying ONLINE in the eyes of Go naras (WIRE.md §7.4, §14).
 *
 * Go's presence projection only counts ledger events (hey_there, chau, social, ...), not
 * newspapers, and reads a subject as MISSING after 300 s without one. A plaza-only nara that
 * only sends newspapers would flap ONLINE -> MISSING -> "restart" every few minutes on Go naras.
 *
 * The choice made here: while at least one Go nara is ONLINE in our table, re-send a signed
 * hey_there every `periodS` (default 240 s, always below 300 s, minus up to 10 % jitter so TS naras
 * started together do not fire together). Among TS naras only, nothing extra is sent: a verified
 * newspaper is evidence for them. The cost is the howdy round each hey_there triggers (at most
 * ~10 howdys). The alternative, advertising `transport_mode: "gossip"` (3600 s threshold) and
 * re-announcing hourly, would be cheaper but claims a transport this nara does not use and delays
 * Go's crash detection to an hour; see the README.
 *
 * A status is recognised as a TS nara's by its `Version`, which ends in {@link TS_VERSION_SUFFIX}.
 */
import type { Clock, Random, TimerHandle } from './clock.js'
import type { Neighbour, Neighbourhood } from './neighbourhood.js'

/** Version advertised by TS naras: Go's protocol version plus a marker. */
export const TS_VERSION_SUFFIX = '-ts'
export const TS_VERSION = `0.2.0${TS_VERSION_SUFFIX}`

/** True when a verified status comes from a Go nara (any version without the TS marker). */
export function isGoStatus(status: { Version?: string } | undefined): boolean {
  return status !== undefined && !(status.Version ?? '').endsWith(TS_VERSION_SUFFIX)
}

/** True when any ONLINE neighbour is a Go nara. */
export function goPeersOnline(neighbours: readonly Pick<Neighbour, 'state' | 'status'>[]): boolean {
  return neighbours.some((n) => n.state === 'ONLINE' && isGoStatus(n.status))
}

/** {@link goPeersOnline} over a table, without a snapshot of it. */
export function goPeersOnlineIn(table: Pick<Neighbourhood, 'each'>): boolean {
  let found = false
  table.each((n, state) => {
    if (!found && state === 'ONLINE' && isGoStatus(n.status)) found = true
  })
  return found
}

export interface PresenceKeeperOptions {
  clock: Clock
  random: Random
  /** Re-announce period in seconds (default 240; must stay below Go's 300 s). */
  periodS?: number
  /** Whether a Go nara is currently ONLINE. */
  goPeersPresent: () => boolean
  /** Sends a signed hey_there. */
  sendHeyThere: () => void
}

export interface PresenceKeeper {
  start(): void
  stop(): void
  /** Call when a hey_there went out for another reason (join, reconnect): restarts the period. */
  heyThereSent(): void
  /** Presence hey_theres sent so far. */
  sent(): number
}

export function createPresenceKeeper(options: PresenceKeeperOptions): PresenceKeeper {
  const { clock, random, goPeersPresent, sendHeyThere } = options
  const periodMs = (options.periodS ?? 240) * 1000
  let timer: TimerHandle | undefined
  let running = false
  let count = 0

  const schedule = () => {
    if (timer) clock.clearTimeout(timer)
    timer = undefined
    if (!running) return
    const delay = Math.round(periodMs * (1 - 0.1 * random()))
    timer = clock.setTimeout(() => {
      timer = undefined
      if (!running) return
      if (goPeersPresent()) {
        count += 1
        sendHeyThere()
      }
      schedule()
    }, delay)
  }

  return {
    start() {
      running = true
      schedule()
    },
    stop() {
      running = false
      schedule()
    },
    heyThereSent: () => schedule(),
    sent: () => count,
  }
}
