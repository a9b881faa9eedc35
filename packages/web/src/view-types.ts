/**
 * The JSON the page reads: the snapshot (`GET /api/snapshot`, also the first message of the
 * event stream), one nara's page (`GET /api/nara?name=`), and the live updates (`GET /api/events`,
 * Server-Sent Events). Every string that came from the plaza is attacker-controlled: the page
 * renders it as text, never as HTML. Times are epoch milliseconds of the server's clock.
 */

export type PresenceState = 'ONLINE' | 'OFFLINE' | 'MISSING'

/** Verified evidence kinds that keep a nara ONLINE (a chau makes it OFFLINE). */
export type EvidenceKind =
  | 'hey_there'
  | 'howdy'
  | 'newspaper'
  | 'social'
  | 'checkpoint_propose'
  | 'checkpoint_vote'
  | 'chau'

/**
 * How the name is bound to its key: `signature` (a signed hey_there/chau/howdy/social pinned
 * it), `topic` (only a newspaper topic names it), `conflicted` (a message offered another key).
 */
export type TrustTier = 'signature' | 'topic' | 'conflicted'

export interface NaraRow {
  name: string
  state: PresenceState
  /** What decided the state: the last verified evidence and when it arrived. */
  decidedBy: { kind: EvidenceKind; atMs: number }
  /** For MISSING: silence longer than this decided it. */
  missingAfterMs: number
  trust: TrustTier
  /** Short fingerprint of the key that signed its messages (`3f2a:91c0:...`), or '-'. */
  fingerprint: string
  /** From the status `Version` (TS naras end in `-ts`); null before any status. */
  impl: 'go' | 'ts' | null
  lastNewspaperAtMs: number | null
  firstSeenMs: number
  /** Returns from OFFLINE/MISSING seen by this view. */
  restarts: number
  /** Verified messages from it. */
  verified: number
}

export interface StreamItem {
  seq: number
  atMs: number
  kind: string
  topic: string
  sender: string
  /** `signature`, `topic` or `none` (README "What an event proves"). */
  nameProof: string
  summary: string
}

export interface DropItem {
  atMs: number
  topic: string
  reason: string
  kind: string | null
  claimedSender: string | null
  detail: string | null
}

export interface ConflictItem {
  atMs: number
  topic: string
  kind: string
  label: string
  name: string | null
  pinnedFingerprint: string
  offeredFingerprint: string
}

export interface DropMinute {
  /** Start of the minute. */
  minuteMs: number
  byReason: Record<string, number>
}

export interface RefusedView {
  totals: Record<string, number>
  perMinute: DropMinute[]
  recent: DropItem[]
  conflicts: ConflictItem[]
}

export interface CheckpointVoter {
  name: string
  approved: boolean
  /** The vote's attester name is pinned to the key that signed it. */
  proven: boolean
}

export interface CheckpointRound {
  key: string
  subject: string
  round: number
  startedAtMs: number
  proposed: boolean
  votes: CheckpointVoter[]
  final: {
    atMs: number
    /** Every voter the final lists, and whether its signature verified here. */
    voters: Array<{ id: string; name: string | null; verified: boolean }>
  } | null
}

export interface Snapshot {
  version: 1
  nowMs: number
  source: { mode: string; broker: string }
  connected: boolean
  missingAfterS: number
  naras: NaraRow[]
  stream: { items: StreamItem[]; dropped: number; capacity: number }
  refused: RefusedView
  checkpoints: CheckpointRound[]
}

export interface NaraPage {
  row: NaraRow
  status: {
    atMs: number
    flair: string
    buzz: number
    chattiness: number
    trend: string
    trendEmoji: string
    personality: { agreeableness: number; sociability: number; chill: number }
    aura: { primary: string; secondary: string }
    version: string
    hostUptimeS: number
    transport: string | null
  } | null
  /** From its latest verified howdy `Me.Observations` (newspapers carry none). */
  observations: {
    atMs: number
    of: Array<{ name: string; online: string; restarts: number }>
  } | null
  /** Receipt times of its newspapers over the last hour. */
  heartbeats: number[]
}

/** One live update on the event stream (`event: <type>`, `data: <JSON>`). */
export type Update =
  | { type: 'snapshot'; data: Snapshot }
  | { type: 'nara'; data: NaraRow }
  | { type: 'event'; data: StreamItem }
  | { type: 'drop'; data: DropItem }
  | { type: 'conflict'; data: ConflictItem }
  | { type: 'checkpoint'; data: CheckpointRound }
  | { type: 'connection'; data: { connected: boolean } }
  /** This client fell behind: `count` updates were not sent to it. */
  | { type: 'skipped'; data: { count: number } }
