/**
 * `/healthz`: healthy while the broker connection is up and the inbound pipeline is alive, i.e.
 * it finished a message (delivered, an own echo or a drop) within `quietMaxMs`. A nara hears at
 * least its own newspaper every period (300 s at most, WIRE.md §7.3), so a pipeline silent for
 * three periods is stuck, not idle.
 */
import type { Receiver } from '@nara/plaza'
import { MAX_NEWSPAPER_PERIOD_S } from './chattiness.js'

/** Default quiet limit: three of the longest newspaper periods. */
export const INBOUND_QUIET_MAX_MS = 3 * MAX_NEWSPAPER_PERIOD_S * 1000

export interface HealthReport {
  ok: boolean
  connected: boolean
  /** The pipeline finished a message within `quietMaxMs` (or the connection is younger). */
  inboundAlive: boolean
  /** Messages the inbound pipeline finished so far. */
  inboundProcessed: number
  /** Since the last one finished (or since the check first ran), ms. */
  inboundQuietMs: number
}

export interface HealthOptions {
  connected: () => boolean
  /** A count that grows while the inbound pipeline works. */
  processed: () => number
  nowMs: () => number
  quietMaxMs?: number
}

/** Returns the check; it samples `processed` at each call (no timer of its own). */
export function createHealth(o: HealthOptions): () => HealthReport {
  const quietMaxMs = o.quietMaxMs ?? INBOUND_QUIET_MAX_MS
  let seen = o.processed()
  let lastChangeMs = o.nowMs()
  let wasConnected = false
  return () => {
    const now = o.nowMs()
    const connected = o.connected()
    const processed = o.processed()
    // A new connection starts a new quiet period: its first messages are yet to come.
    if (processed !== seen || (connected && !wasConnected)) lastChangeMs = now
    seen = processed
    wasConnected = connected
    const inboundQuietMs = now - lastChangeMs
    const inboundAlive = inboundQuietMs <= quietMaxMs
    return {
      ok: connected && inboundAlive,
      connected,
      inboundAlive,
      inboundProcessed: processed,
      inboundQuietMs,
    }
  }
}

/** Messages the receiver's pipeline finished: delivered (own echoes included) and dropped. */
export function inboundProcessed(receiver: Receiver): number {
  const c = receiver.counters()
  let n = c.own
  for (const v of Object.values(c.accepted)) n += v
  for (const v of Object.values(c.dropped)) n += v
  return n
}
