/**
 * The shapes this package reads from messages. They are structural subsets of the types of
 * `@nara/protocol` (its decoded `SyncEvent`, `HowdyEvent`, `Attestation`...), so decoded messages
 * can be passed straight in. Optional fields read as Go's zero value (`""` / `0`) when absent,
 * because that is what Go formats into content strings.
 */

/** An integer as decoded by protocol: a JS number, or a bigint for int64 nanoseconds. */
export type IntLike = number | bigint

/** `hey_there` payload (PascalCase keys). */
export interface HeyThereLike {
  readonly From?: string
  readonly PublicKey?: string
  readonly MeshIP?: string
  readonly ID?: string
  readonly Signature?: string
}

/** `chau` payload (PascalCase keys). */
export interface ChauLike {
  readonly From?: string
  readonly PublicKey?: string
  readonly ID?: string
  readonly Signature?: string
}

/** `social` payload. */
export interface SocialLike {
  readonly type?: string
  readonly actor?: string
  readonly actor_id?: string
  readonly target?: string
  readonly target_id?: string
  readonly reason?: string
  readonly witness?: string
}

/** `ping` payload; `rtt` in milliseconds. */
export interface PingLike {
  readonly observer?: string
  readonly observer_id?: string
  readonly target?: string
  readonly target_id?: string
  readonly rtt?: number
}

/** `seen` payload. */
export interface SeenLike {
  readonly observer?: string
  readonly observer_id?: string
  readonly subject?: string
  readonly subject_id?: string
  readonly via?: string
}

/** `observation` payload; times in seconds. */
export interface ObservationLike {
  readonly observer?: string
  readonly observer_id?: string
  readonly subject?: string
  readonly subject_id?: string
  readonly type?: string
  readonly importance?: number
  readonly start_time?: IntLike
  readonly restart_num?: IntLike
  readonly last_restart?: IntLike
  readonly online_state?: string
}

/** The three observation values a checkpoint or attestation signs. */
export interface CheckpointObservationLike {
  readonly restarts?: IntLike
  readonly total_uptime?: IntLike
  readonly start_time?: IntLike
}

/** Final checkpoint payload (`svc: "checkpoint"`); `as_of_time` in seconds. */
export interface CheckpointLike {
  readonly version?: IntLike
  readonly subject?: string
  readonly subject_id?: string
  readonly previous_checkpoint_id?: string
  readonly observation?: CheckpointObservationLike
  readonly as_of_time?: IntLike
  readonly round?: IntLike
  readonly voter_ids?: readonly string[] | null
  readonly signatures?: readonly string[] | null
}

/** A SyncEvent; `ts` in nanoseconds (exact). */
export interface SyncEventLike {
  readonly id?: string
  readonly ts: IntLike
  readonly svc: string
  readonly emitter?: string
  readonly emitter_id?: string
  readonly sig?: string
  readonly social?: SocialLike | null
  readonly ping?: PingLike | null
  readonly observation?: ObservationLike | null
  readonly hey_there?: HeyThereLike | null
  readonly chau?: ChauLike | null
  readonly seen?: SeenLike | null
  readonly checkpoint?: CheckpointLike | null
}

/** An Attestation (also the flattened head of a checkpoint proposal or vote). */
export interface AttestationLike {
  readonly version?: IntLike
  readonly subject?: string
  readonly subject_id?: string
  readonly observation?: CheckpointObservationLike
  readonly attester?: string
  readonly attester_id?: string
  readonly last_seen_checkpoint_id?: string
  readonly as_of_time?: IntLike
  readonly signature?: string
}

/** A checkpoint proposal. */
export interface CheckpointProposalLike extends AttestationLike {
  readonly round?: IntLike
}

/** A checkpoint vote. */
export interface CheckpointVoteLike extends AttestationLike {
  readonly proposal_ts?: IntLike
  readonly round?: IntLike
  readonly approved?: boolean
}

/** A howdy neighbour entry. */
export interface NeighborLike {
  readonly Name?: string
  readonly PublicKey?: string
  readonly MeshIP?: string
  readonly ID?: string
}

/** The status fields this package reads (newspaper `Status`, howdy `Me`). */
export interface StatusLike {
  readonly PublicKey?: string
  readonly ID?: string
}

/** A howdy (PascalCase keys). */
export interface HowdyLike {
  readonly From?: string
  readonly To?: string
  readonly Seq?: IntLike
  readonly Neighbors?: readonly NeighborLike[] | null
  readonly Me?: StatusLike | null
  readonly Signature?: string
}

/** Go's decimal formatting of an integer field (`%d`): plain digits, no exponent. */
export function formatGoInt(value: IntLike | undefined): string {
  if (value === undefined) return '0'
  if (typeof value === 'bigint') return value.toString()
  if (Number.isSafeInteger(value)) return String(value)
  if (Number.isInteger(value)) return BigInt(value).toString()
  // A fractional value cannot come from a Go int field; format its truncation like a Go int.
  return Number.isFinite(value) ? BigInt(Math.trunc(value)).toString() : '0'
}
