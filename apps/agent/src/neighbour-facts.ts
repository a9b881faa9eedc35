/**
 * What a neighbourhood table records of a nara, and the words for it: presence states, the kinds
 * of evidence, the status fields it reads, the wire observation, a row's facts and its public
 * view, the table's options and bound (the table itself is `neighbourhood.ts`).
 */
export type PresenceState = 'ONLINE' | 'OFFLINE' | 'MISSING'
export const PRESENCE_STATES: readonly PresenceState[] = ['ONLINE', 'OFFLINE', 'MISSING']
/** A row's state: a presence state from verified evidence, or `hearsay` (only named by others). */
export type NeighbourState = PresenceState | 'hearsay'
export const NEIGHBOUR_STATES: readonly NeighbourState[] = [...PRESENCE_STATES, 'hearsay']

/** What counts as proof of life (each one verified before it gets here). */
export type EvidenceKind = 'hey_there' | 'howdy' | 'newspaper' | 'social' | 'checkpoint'

/** The few status fields the table reads; the full status is kept as received. */
export interface PeerStatusLike {
  PublicKey?: string
  ID?: string
  Version?: string
  /** int64s Go may send beyond 2^53 (a bigint then); `Number()` them for arithmetic or JSON. */
  Buzz?: number | bigint
  Chattiness?: number | bigint
  transport_mode?: string
}

/** The wire `NaraObservation` (WIRE.md §5), times in seconds. */
export interface WireObservation {
  restarts?: number
  total_uptime?: number
  start_time?: number
  online?: string
  last_seen?: number
  last_restart?: number
  cluster_name?: string
  cluster_emoji?: string
  last_ping_rtt?: number
  avg_ping_rtt?: number
  last_ping_time?: number
}

/** What the table records of a nara: shared by its rows and their public view. */
export interface NeighbourFacts<S extends PeerStatusLike = PeerStatusLike> {
  name: string
  publicKey: string | undefined
  naraId: string | undefined
  /** Last verified status (newspaper, or a first howdy `Me`). */
  status: S | undefined
  statusAtMs: number | undefined
  firstSeenMs: number
  /** Receipt time of the last verified evidence (undefined for hearsay). */
  lastSeenMs: number | undefined
  lastEvidence: EvidenceKind | 'chau' | 'hearsay'
  /** Only known from other naras' howdy `Neighbors` lists (unauthenticated, WIRE §12.7). */
  hearsay: boolean
  /** When its messages were first seen signed by a key with standing (a durable pin). */
  standingSinceMs: number | undefined
  restarts: number
  lastRestartMs: number | undefined
  /** Messages from this nara that passed verification. */
  verified: number
  lastNewspaperMs: number | undefined
  /** Receipt time of its last verified hey_there (undefined: it never joined in our sight). */
  lastHeyThereMs: number | undefined
}

export interface Neighbour<S extends PeerStatusLike = PeerStatusLike> extends NeighbourFacts<S> {
  state: NeighbourState
  /** Own observed ONLINE time, in ms. */
  totalUptimeMs: number
}

export interface NeighbourhoodOptions {
  /** Own name; never entered in the table. */
  me: string
  nowMs: () => number
  /** ONLINE -> MISSING after this much silence, in seconds (default 300). */
  missingAfterS?: number
  /** Same for subjects advertising `transport_mode: "gossip"` (default 3600). */
  gossipMissingAfterS?: number
  /** Most rows kept (default {@link NEIGHBOURS_MAX}); see the eviction order in `neighbourhood.ts`. */
  maxEntries?: number
}

/** Default bound of the table. */
export const NEIGHBOURS_MAX = 2000

export interface EvidenceDetails<S> {
  /** Creation time claimed by the message (hey_there/chau `ts`), to refuse stale replays. */
  eventTimeMs?: number
  status?: S
  publicKey?: string
  naraId?: string
  /**
   * False when `status.ID` is an unsigned claim (a newspaper's): it is not taken as the NaraID
   * (`naraId` carries the bound one). The status itself is kept as given, never copied: in a town
   * every nara holds the same decoded object.
   */
  statusIdBound?: boolean
  /** The sender's key has standing now (a durable pin): recorded as `standingSinceMs`. */
  standing?: boolean
  /**
   * Evidence that may only refresh: it never creates a restart, so it is ignored for a nara
   * that is MISSING or OFFLINE (a howdy, whose signed text carries no time).
   */
  refreshOnly?: boolean
}
