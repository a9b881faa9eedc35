/**
 * The /status document of one nara, built from its state: who it is, its neighbourhood as it
 * sees it, what the plaza dropped, and how presence, checkpoints and the social plaza are going.
 * Never a secret: no soul, no password.
 */
import type { NaraStatus } from '@nara/protocol'
import type { AgentContext } from './agent-context.js'
import type { AgentServices } from './agent-services.js'
import type { CheckpointState } from './checkpoint-service.js'
import type { HowdyStats } from './howdy-coordinator.js'
import type { RecentConflict } from './inbound-diagnostics.js'
import type { Neighbour, NeighbourState } from './neighbourhood.js'
import { goPeersOnline, isGoStatus, TS_VERSION } from './presence-keeper.js'
import { redactBrokerUrl } from './secrets.js'
import type { RecentSocial } from './social.js'

/** What a started agent contributes to its status. */
export interface StatusSources {
  ctx: AgentContext
  services: AgentServices
  flair: string
  startedAtMs: number
  connected: boolean
  recentConflicts: readonly RecentConflict[]
  recentSocial: readonly RecentSocial[]
}

export interface NeighbourRow {
  name: string
  state: NeighbourState
  lastSeenAgoS: number | null
  lastEvidence: Neighbour['lastEvidence']
  lastNewspaperAgoS: number | null
  hearsay: boolean
  restarts: number
  pinnedKey: string | null
  publicKey: string | null
  naraId: string | null
  /** Messages from this nara that passed verification. */
  verified: number
  version: string | null
  go: boolean
  chattiness: number | null
  buzz: number | null
}

export interface StatusDocument {
  me: {
    name: string
    naraId: string
    publicKey: string
    bondValid: boolean
    version: string
    connected: boolean
    /** The broker in use (or tried next) of the configured list, without credentials. */
    broker: string
    uptimeS: number
    chattiness: number
    buzz: number
    nextNewspaperInS: number | null
    flair: string
  } | null
  /** Rows by state: `hearsay` rows (only named by others) are never ONLINE. */
  counts: Record<NeighbourState, number>
  neighbourhood: NeighbourRow[]
  drops: Record<string, number>
  dropDetails: Record<string, number>
  messages: { in: Record<string, number>; out: Record<string, number> }
  reconnects: number
  keyConflicts: { total: number; recent: readonly RecentConflict[] }
  presence: { goPeersOnline: boolean; reannounces: number }
  /** Howdy answers: sent, refused by the budget, allowed now, rounds in progress. */
  howdy: HowdyStats
  checkpoints: CheckpointState | null
  social: readonly RecentSocial[]
}

function neighbourRow(
  n: Neighbour<NaraStatus>,
  nowMs: number,
  pinnedKey: (naraId: string) => string | undefined,
): NeighbourRow {
  const ago = (ms: number | undefined) =>
    ms === undefined ? null : Math.round((nowMs - ms) / 1000)
  return {
    name: n.name,
    state: n.state,
    lastSeenAgoS: ago(n.lastSeenMs),
    lastEvidence: n.lastEvidence,
    lastNewspaperAgoS: ago(n.lastNewspaperMs),
    hearsay: n.hearsay,
    restarts: n.restarts,
    pinnedKey: n.naraId ? (pinnedKey(n.naraId) ?? null) : null,
    publicKey: n.publicKey ?? null,
    naraId: n.naraId ?? null,
    verified: n.verified,
    version: n.status?.Version ?? null,
    go: isGoStatus(n.status),
    // Go may send int64s beyond 2^53 (held as bigints); JSON carries them as numbers.
    chattiness: n.status ? Number(n.status.Chattiness) : null,
    buzz: n.status ? Number(n.status.Buzz) : null,
  }
}

/** The document before the agent started (nothing known yet). */
const NOT_STARTED: StatusDocument = {
  me: null,
  counts: { ONLINE: 0, OFFLINE: 0, MISSING: 0, hearsay: 0 },
  neighbourhood: [],
  drops: {},
  dropDetails: {},
  messages: { in: {}, out: {} },
  reconnects: 0,
  keyConflicts: { total: 0, recent: [] },
  presence: { goPeersOnline: false, reannounces: 0 },
  howdy: { answered: 0, refusedByBudget: 0, tokens: 0, rounds: 0 },
  checkpoints: null,
  social: [],
}

export function statusDocument(s: StatusSources | undefined, nowMs: number): StatusDocument {
  if (s === undefined) return structuredClone(NOT_STARTED)
  const { identity: id, table, metrics, plaza, own, buzz } = s.ctx
  const { newspapers, presence, checkpoints, howdy } = s.services
  const next = newspapers.nextAtMs()
  const snap = metrics.snapshot()
  return {
    me: {
      name: id.name,
      naraId: id.naraId,
      publicKey: id.publicKeyBase64,
      bondValid: id.bondValid,
      version: TS_VERSION,
      connected: s.connected,
      broker: redactBrokerUrl(plaza.brokerUrl()),
      uptimeS: Math.floor((nowMs - s.startedAtMs) / 1000),
      chattiness: own.chattiness(),
      buzz: buzz.value(),
      nextNewspaperInS: next === undefined ? null : Math.max(0, Math.round((next - nowMs) / 1000)),
      flair: s.flair,
    },
    counts: table.counts(),
    neighbourhood: table.list().map((n) => neighbourRow(n, nowMs, (i) => plaza.keyById(i))),
    drops: snap.drops,
    dropDetails: snap.dropDetails,
    messages: { in: snap.in, out: snap.out },
    reconnects: snap.reconnects,
    keyConflicts: { total: snap.keyConflicts, recent: s.recentConflicts },
    presence: { goPeersOnline: goPeersOnline(table.list()), reannounces: presence.sent() },
    howdy: howdy.stats(),
    checkpoints: checkpoints.state(),
    social: s.recentSocial,
  }
}
