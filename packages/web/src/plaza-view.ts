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
import { createNaraBook, type Evidence, type NaraBook } from './nara-book.js'
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

/** A verified event's presence evidence for its sender, if it is any. */
function evidenceOf(e: PlazaEvent): Evidence | undefined {
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

/** {@link PlazaView}: the nara book, the stream, the refused log and the checkpoint board. */
class View implements PlazaView {
  readonly #o: PlazaViewOptions
  readonly #clock: Clock
  readonly #missingAfterS: number
  readonly #streamMax: number
  readonly #book: NaraBook
  readonly #refused = createRefusedLog({ minutes: 30, recent: 50 })
  readonly #checkpoints = createCheckpointBoard(30)
  readonly #stream: StreamItem[] = []
  readonly #listeners = new Set<(u: Update) => void>()
  #streamDropped = 0
  #seq = 0
  #connected = false
  #timer: TimerHandle | undefined
  #running = false

  constructor(options: PlazaViewOptions) {
    this.#o = options
    this.#clock = options.clock ?? systemClock
    this.#missingAfterS = options.missingAfterS ?? 300
    this.#streamMax = options.streamMax ?? 500
    this.#book = createNaraBook({
      missingAfterMs: this.#missingAfterS * 1000,
      gossipMissingAfterMs: (options.gossipMissingAfterS ?? 3600) * 1000,
      maxNaras: options.maxNaras ?? 5000,
      maxHeartbeats: 720,
      historyMs: 3_600_000,
    })
  }

  event(e: PlazaEvent): void {
    const ev = evidenceOf(e)
    if (ev) {
      if (e.senderId) this.#book.bindId(e.senderId, e.sender)
      this.#emit({ type: 'nara', data: this.#book.record(ev) })
    }
    const round = this.#checkpoints.record(e, (id) => this.#book.nameOfId(id))
    if (round) this.#emit({ type: 'checkpoint', data: round })
    this.#seq += 1
    const item: StreamItem = {
      seq: this.#seq,
      atMs: e.receivedAtMs,
      kind: e.kind,
      topic: e.topic,
      sender: e.sender,
      nameProof: e.nameProof,
      summary: summarize(e),
    }
    this.#streamDropped += pushBounded(this.#stream, item, this.#streamMax)
    this.#emit({ type: 'event', data: item })
  }

  drop(d: DropEvent): void {
    this.#emit({ type: 'drop', data: this.#refused.drop(d, this.#clock.now()) })
  }

  keyConflict(c: KeyConflictEvent): void {
    const now = this.#clock.now()
    this.#emit({ type: 'conflict', data: this.#refused.conflict(c, now) })
    const row = c.name ? this.#book.conflict(c.name, now) : undefined
    if (row) this.#emit({ type: 'nara', data: row })
  }

  connection(up: boolean): void {
    this.#connected = up
    this.#emit({ type: 'connection', data: { connected: up } })
  }

  snapshot(): Snapshot {
    const now = this.#clock.now()
    const { mode, broker } = this.#o
    return {
      version: 1,
      nowMs: now,
      source: { mode, broker: typeof broker === 'function' ? broker() : broker },
      connected: this.#connected,
      missingAfterS: this.#missingAfterS,
      naras: this.#book.rows(now),
      stream: {
        items: [...this.#stream],
        dropped: this.#streamDropped,
        capacity: this.#streamMax,
      },
      refused: this.#refused.view(now),
      checkpoints: this.#checkpoints.rounds(),
    }
  }

  nara(name: string): NaraPage | undefined {
    return this.#book.page(name, this.#clock.now())
  }

  subscribe(listener: (update: Update) => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  start(): void {
    if (this.#running) return
    this.#running = true
    this.#sweep()
  }

  stop(): void {
    this.#running = false
    if (this.#timer !== undefined) this.#clock.clearTimeout(this.#timer)
    this.#timer = undefined
    this.#listeners.clear()
  }

  #emit(u: Update): void {
    for (const l of this.#listeners) l(u)
  }

  #sweep(): void {
    this.#timer = undefined
    if (!this.#running) return
    for (const row of this.#book.changed(this.#clock.now())) this.#emit({ type: 'nara', data: row })
    this.#timer = this.#clock.setTimeout(() => this.#sweep(), this.#o.sweepEveryMs ?? 1000)
  }
}

export function createPlazaView(options: PlazaViewOptions): PlazaView {
  return new View(options)
}
