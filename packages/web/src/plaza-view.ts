/**
 * The model behind the page: fed verified plaza events, drops and key conflicts (see
 * `attachPlaza`), it keeps presence, the event stream, what was refused and checkpoint rounds,
 * answers snapshots, and pushes each change to its subscribers as an {@link Update}.
 *
 * Bounded everywhere: the stream keeps the last `streamMax` events (older ones are counted in
 * `stream.dropped`), drops and conflicts the last 50, checkpoints the last 30 rounds, the nara
 * book `maxNaras` naras. A subscriber that falls behind is the server's concern (`sse-hub.ts`).
 */
import type { Clock, DropEvent, KeyConflictEvent, PlazaEvent, TimerHandle } from '@nara/plaza'
import { systemClock } from '@nara/plaza'
import { createCheckpointBoard } from './checkpoint-board.js'
import { summarize } from './event-summary.js'
import { createNaraBook, type Evidence } from './nara-book.js'
import { createRefusedLog, pushBounded } from './refused-log.js'
import type { EvidenceKind, NaraPage, Snapshot, StreamItem, Update } from './view-types.js'

export interface PlazaViewOptions {
  /** What is watched, shown in the header: `nara`, `town` or `watcher`. */
  mode: string
  /** Broker URL without credentials (a function when it is known only later). */
  broker: string | (() => string)
  /** ONLINE -> MISSING after this much silence, in seconds (default 300, WIRE §7.4). */
  missingAfterS?: number
  /** Same for subjects advertising `transport_mode: "gossip"` (default 3600). */
  gossipMissingAfterS?: number
  /** Events kept for the stream (default 500). */
  streamMax?: number
  /** Naras remembered (default 5000). */
  maxNaras?: number
  /** How often MISSING transitions are looked for, ms (default 1000). */
  sweepEveryMs?: number
  clock?: Clock
}

export interface PlazaView {
  /** A verified event from the plaza's inbound pipeline. */
  event(event: PlazaEvent): void
  drop(drop: DropEvent): void
  keyConflict(conflict: KeyConflictEvent): void
  connection(connected: boolean): void
  snapshot(): Snapshot
  nara(name: string): NaraPage | undefined
  /** Receives every update until the returned function is called. */
  subscribe(listener: (update: Update) => void): () => void
  /** Starts the MISSING sweep. */
  start(): void
  stop(): void
}

/**
 * Kinds that are presence evidence for their sender (a chau says it left; a checkpoint final is
 * none: its sender is the subject who signed the values, not who published it).
 */
export const EVIDENCE_KINDS: readonly EvidenceKind[] = Object.freeze([
  'hey_there',
  'howdy',
  'newspaper',
  'social',
  'checkpoint_propose',
  'checkpoint_vote',
  'chau',
])
const EVIDENCE: ReadonlySet<string> = new Set<EvidenceKind>(EVIDENCE_KINDS)

export function createPlazaView(options: PlazaViewOptions): PlazaView {
  const clock = options.clock ?? systemClock
  const missingAfterS = options.missingAfterS ?? 300
  const streamMax = options.streamMax ?? 500
  const book = createNaraBook({
    missingAfterMs: missingAfterS * 1000,
    gossipMissingAfterMs: (options.gossipMissingAfterS ?? 3600) * 1000,
    maxNaras: options.maxNaras ?? 5000,
    maxHeartbeats: 720,
    historyMs: 3_600_000,
  })
  const refused = createRefusedLog({ minutes: 30, recent: 50 })
  const checkpoints = createCheckpointBoard(30)
  const stream: StreamItem[] = []
  const listeners = new Set<(u: Update) => void>()
  let streamDropped = 0
  let seq = 0
  let connected = false
  let timer: TimerHandle | undefined
  let running = false

  const emit = (u: Update) => {
    for (const l of listeners) l(u)
  }

  const evidenceOf = (e: PlazaEvent): Evidence | undefined => {
    if (!EVIDENCE.has(e.kind) || !e.authenticated) return undefined
    const base = {
      name: e.sender,
      kind: e.kind as EvidenceKind,
      atMs: e.receivedAtMs,
      nameProof: e.nameProof,
    }
    switch (e.kind) {
      case 'hey_there':
        return { ...base, publicKey: (e as PlazaEvent<'hey_there'>).message.hey_there.PublicKey }
      case 'chau':
        return { ...base, publicKey: (e as PlazaEvent<'chau'>).message.chau.PublicKey }
      case 'newspaper':
        return { ...base, status: (e as PlazaEvent<'newspaper'>).message.envelope.Status }
      case 'howdy': {
        const me = (e as PlazaEvent<'howdy'>).message.Me
        return { ...base, publicKey: me.PublicKey, observations: me.Observations }
      }
      default:
        return base
    }
  }

  const sweep = () => {
    timer = undefined
    if (!running) return
    for (const row of book.changed(clock.now())) emit({ type: 'nara', data: row })
    timer = clock.setTimeout(sweep, options.sweepEveryMs ?? 1000)
  }

  return {
    event(e) {
      const ev = evidenceOf(e)
      if (ev) {
        if (e.senderId) book.bindId(e.senderId, e.sender)
        emit({ type: 'nara', data: book.record(ev) })
      }
      const round = checkpoints.record(e, book.nameOfId)
      if (round) emit({ type: 'checkpoint', data: round })
      seq += 1
      const item: StreamItem = {
        seq,
        atMs: e.receivedAtMs,
        kind: e.kind,
        topic: e.topic,
        sender: e.sender,
        nameProof: e.nameProof,
        summary: summarize(e),
      }
      streamDropped += pushBounded(stream, item, streamMax)
      emit({ type: 'event', data: item })
    },
    drop(d) {
      emit({ type: 'drop', data: refused.drop(d, clock.now()) })
    },
    keyConflict(c) {
      const now = clock.now()
      emit({ type: 'conflict', data: refused.conflict(c, now) })
      const row = c.name ? book.conflict(c.name, now) : undefined
      if (row) emit({ type: 'nara', data: row })
    },
    connection(up) {
      connected = up
      emit({ type: 'connection', data: { connected: up } })
    },
    snapshot() {
      const now = clock.now()
      return {
        version: 1,
        nowMs: now,
        source: {
          mode: options.mode,
          broker: typeof options.broker === 'function' ? options.broker() : options.broker,
        },
        connected,
        missingAfterS,
        naras: book.rows(now),
        stream: { items: [...stream], dropped: streamDropped, capacity: streamMax },
        refused: refused.view(now),
        checkpoints: checkpoints.rounds(),
      }
    },
    nara: (name) => book.page(name, clock.now()),
    subscribe(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    start() {
      if (running) return
      running = true
      sweep()
    },
    stop() {
      running = false
      if (timer !== undefined) clock.clearTimeout(timer)
      timer = undefined
      listeners.clear()
    },
  }
}
