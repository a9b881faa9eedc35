/**
 * What a town reports about itself: one table row per nara (as the other naras see it) and a
 * town-wide summary for `/status` (`town.summary`) and the bench, cheap at any size. Broker URLs
 * in it are redacted.
 */
import type { PlazaCounters, Receiver } from '@nara/plaza'
import type { Agent } from './agent.js'
import { redactBrokerUrl } from './secrets.js'
import type { TownRow } from './town-table.js'

/** Town-wide figures for `/status` (`town.summary`) and the bench; cheap at any size. */
export interface TownSummary {
  /** Naras started / naras with an identity. */
  naras: number
  /** Smallest and largest count of ONLINE neighbours any nara sees. */
  minOnlineSeen: number
  maxOnlineSeen: number
  /** Sums over the naras (own messages excluded from `*In`). */
  newspapersOut: number
  newspapersIn: number
  howdysOut: number
  howdysIn: number
  heyTheresOut: number
  drops: Record<string, number>
  /** Drops by `reason kind: detail` (see the agent's metrics). */
  dropDetails: Record<string, number>
  /** The town's receiver: its broker (redacted), and its counters (every message verified once). */
  receiver:
    | {
        brokerUrl: string
        connected: boolean
        counters: Pick<
          PlazaCounters,
          'connects' | 'verifications' | 'received' | 'accepted' | 'dropped' | 'own'
        >
      }
    | undefined
  rssBytes: number
  heapUsedBytes: number
  cpuUserMs: number
  cpuSystemMs: number
  uptimeS: number
}

const sum = (m: Record<string, number> | undefined) =>
  Object.values(m ?? {}).reduce((x, y) => x + y, 0)

/** One row per nara with an identity; `stopped` naras are not counted as watchers. */
export function townRows(agents: readonly Agent[], stopped: ReadonlySet<Agent>): TownRow[] {
  const live = agents.filter((a) => a.identity() !== undefined)
  return live.map((a) => {
    const name = a.identity()!.name
    const others = live.filter((b) => b !== a && !stopped.has(b))
    let seenOnlineBy = 0
    let lastHeartbeatMs: number | undefined
    for (const b of others) {
      const n = b.neighbourhood()?.get(name)
      if (n?.state === 'ONLINE') seenOnlineBy += 1
      if (
        n?.lastNewspaperMs !== undefined &&
        (lastHeartbeatMs === undefined || n.lastNewspaperMs > lastHeartbeatMs)
      ) {
        lastHeartbeatMs = n.lastNewspaperMs
      }
    }
    const counts = a.neighbourhood()?.counts() ?? { ONLINE: 0, OFFLINE: 0, MISSING: 0, hearsay: 0 }
    const snap = a.metrics()?.snapshot()
    return {
      name,
      running: !stopped.has(a),
      seenOnlineBy,
      others: others.length,
      lastHeartbeatMs,
      onlineNeighbours: counts.ONLINE,
      knownNeighbours: counts.ONLINE + counts.OFFLINE + counts.MISSING,
      verified: sum(snap?.in),
      dropped: sum(snap?.drops),
      sent: sum(snap?.out),
    }
  })
}

function receiverSummary(receiver: Receiver | undefined): TownSummary['receiver'] {
  const c = receiver?.counters()
  if (!receiver || !c) return undefined
  return {
    brokerUrl: redactBrokerUrl(receiver.brokerUrl),
    connected: receiver.connected,
    counters: {
      connects: c.connects,
      verifications: c.verifications,
      received: c.received,
      accepted: c.accepted,
      dropped: c.dropped,
      own: c.own,
    },
  }
}

export function townSummary(agents: readonly Agent[], receiver: Receiver | undefined): TownSummary {
  let minOnlineSeen = Number.POSITIVE_INFINITY
  let maxOnlineSeen = 0
  let naras = 0
  const s = { newspapersOut: 0, newspapersIn: 0, howdysOut: 0, howdysIn: 0, heyTheresOut: 0 }
  const drops: Record<string, number> = {}
  const dropDetails: Record<string, number> = {}
  for (const a of agents) {
    const nh = a.neighbourhood()
    const snap = a.metrics()?.snapshot()
    if (!nh || !snap) continue
    naras += 1
    const online = nh.counts().ONLINE
    minOnlineSeen = Math.min(minOnlineSeen, online)
    maxOnlineSeen = Math.max(maxOnlineSeen, online)
    s.newspapersOut += snap.out.newspaper ?? 0
    s.newspapersIn += snap.in.newspaper ?? 0
    s.howdysOut += snap.out.howdy ?? 0
    s.howdysIn += snap.in.howdy ?? 0
    s.heyTheresOut += snap.out.hey_there ?? 0
    for (const [k, v] of Object.entries(snap.drops)) drops[k] = (drops[k] ?? 0) + v
    for (const [k, v] of Object.entries(snap.dropDetails)) {
      dropDetails[k] = (dropDetails[k] ?? 0) + v
    }
  }
  const mem = process.memoryUsage()
  const cpu = process.cpuUsage()
  return {
    receiver: receiverSummary(receiver),
    naras,
    minOnlineSeen: naras === 0 ? 0 : minOnlineSeen,
    maxOnlineSeen,
    ...s,
    drops,
    dropDetails,
    rssBytes: mem.rss,
    heapUsedBytes: mem.heapUsed,
    cpuUserMs: cpu.user / 1000,
    cpuSystemMs: cpu.system / 1000,
    uptimeS: process.uptime(),
  }
}
