/**
 * The agent's timing knobs and their Go values. A single nara keeps the Go values (tests shorten
 * them through the environment); the default town shortens some for its show (`town-cadence.ts`).
 */

/** Every timing knob of the agent. Defaults are the Go values; tests shorten them. */
export interface Timings {
  /** ONLINE -> MISSING after this much silence (WIRE §7.4: 300 s). */
  missingAfterS: number
  /** Same, for subjects advertising `transport_mode: "gossip"` (3600 s). */
  gossipMissingAfterS: number
  /** Fixed newspaper period; undefined = chattiness schedule (30..300 s). */
  newspaperPeriodS: number | undefined
  /** Upper bound of the jitter before the join hey_there (Go: 5000 ms). */
  joinJitterMaxMs: number
  /** Upper bound of the wait before answering a hey_there with a howdy (Go: 3000 ms). */
  howdyDelayMaxMs: number
  /** Own checkpoint cadence (Go: 24 h). */
  checkpointEveryS: number
  /**
   * Seconds from the start to the first own proposal; undefined = `checkpointEveryS` (Go). The
   * town staggers its naras' first rounds with it.
   */
  checkpointFirstS?: number | undefined
  /** How often the proposer checks whether it may propose (Go: 15 min). */
  checkpointCheckS: number
  /** Vote window of a proposal (Go: 60 s). */
  checkpointVoteWindowS: number
  /** Other naras that must be ONLINE before proposing (Go: 6). */
  checkpointMinPeers: number
  /** Distinct valid signatures a received final needs. */
  checkpointFinalMinValid: number
  /** Period of the presence hey_there while Go naras are around (must stay < 300 s). */
  goReannounceS: number
  /**
   * Most entries of the howdy `Me.Observations` map (the most recently seen naras); undefined =
   * the full map, as Go. Receivers merge the map key by key, so a subset is still valid.
   */
  howdyObservationsMax?: number | undefined
}

/** Go's values (WIRE.md), the defaults of every knob a single nara reads from its environment. */
export const GO_TIMINGS: Readonly<Timings> = Object.freeze({
  missingAfterS: 300,
  gossipMissingAfterS: 3600,
  newspaperPeriodS: undefined,
  joinJitterMaxMs: 5000,
  howdyDelayMaxMs: 3000,
  checkpointEveryS: 86_400,
  checkpointCheckS: 900,
  checkpointVoteWindowS: 60,
  checkpointMinPeers: 6,
  checkpointFinalMinValid: 3,
  goReannounceS: 240,
  howdyObservationsMax: undefined,
})
