/**
 * Every nara the view has heard of, with the presence decision and how it was made (WIRE.md
 * §7.4, the agent's rules): verified evidence (hey_there, howdy, newspaper, social, checkpoint
 * proposal or vote) makes a nara ONLINE, a verified chau OFFLINE, and silence longer than the
 * threshold MISSING. Also kept per nara: its trust tier, key fingerprint, Go or TS, its latest
 * verified status, its latest howdy observations and its newspapers of the last hour.
 *
 * Bounded: at most `maxNaras` entries (the longest-silent is forgotten first) and
 * `maxHeartbeats` newspaper times per nara.
 */
import type { NaraObservation, NaraStatus } from '@nara/protocol'
import { keyFingerprint } from './key-fingerprint.js'
import type { EvidenceKind, NaraPage, NaraRow, PresenceState, TrustTier } from './view-types.js'

export interface NaraBookOptions {
  /** ONLINE -> MISSING after this much silence, in ms. */
  missingAfterMs: number
  /** Same for subjects advertising `transport_mode: "gossip"` (Go's 3600 s). */
  gossipMissingAfterMs: number
  maxNaras: number
  maxHeartbeats: number
  /** Heartbeat history kept, ms (one hour). */
  historyMs: number
}

export interface Evidence {
  name: string
  kind: EvidenceKind
  atMs: number
  /** `signature` / `topic` / `none`: how the name is bound to the key. */
  nameProof: string
  publicKey?: string | undefined
  status?: NaraStatus | undefined
  /** A howdy's `Me.Observations`. */
  observations?: Readonly<Record<string, NaraObservation>> | null | undefined
}

interface Entry {
  name: string
  firstSeenMs: number
  last: { kind: EvidenceKind; atMs: number }
  restarts: number
  verified: number
  signed: boolean
  conflicted: boolean
  publicKey: string | undefined
  status: { atMs: number; value: NaraStatus } | undefined
  observations: { atMs: number; value: Readonly<Record<string, NaraObservation>> } | undefined
  heartbeats: number[]
  /** The state last reported by `changed()`. */
  reported: PresenceState | undefined
}

export interface NaraBook {
  /** Records verified evidence; returns the updated row. */
  record(e: Evidence): NaraRow
  /** A key conflict about this name (the name stays, its tier becomes `conflicted`). */
  conflict(name: string, nowMs: number): NaraRow | undefined
  rows(nowMs: number): NaraRow[]
  page(name: string, nowMs: number): NaraPage | undefined
  /** Rows whose state changed since they were last returned here or by `record`. */
  changed(nowMs: number): NaraRow[]
  /** Name bound to a NaraID by a verified message, for checkpoint voters. */
  nameOfId(naraId: string): string | undefined
  bindId(naraId: string, name: string): void
}

const thresholdMs = (o: NaraBookOptions, e: Entry): number =>
  e.status?.value.transport_mode === 'gossip' ? o.gossipMissingAfterMs : o.missingAfterMs

const stateOf = (o: NaraBookOptions, e: Entry, now: number): PresenceState => {
  if (e.last.kind === 'chau') return 'OFFLINE'
  return now - e.last.atMs > thresholdMs(o, e) ? 'MISSING' : 'ONLINE'
}

const trustOf = (e: Entry): TrustTier =>
  e.conflicted ? 'conflicted' : e.signed ? 'signature' : 'topic'

const newEntry = (name: string, kind: EvidenceKind, atMs: number): Entry => ({
  name,
  firstSeenMs: atMs,
  last: { kind, atMs },
  restarts: 0,
  verified: 0,
  signed: false,
  conflicted: false,
  publicKey: undefined,
  status: undefined,
  observations: undefined,
  heartbeats: [],
  reported: undefined,
})

/** {@link NaraBook}: entries by name, NaraIDs bound to names. */
class Book implements NaraBook {
  readonly #o: NaraBookOptions
  readonly #book = new Map<string, Entry>()
  readonly #ids = new Map<string, string>()

  constructor(o: NaraBookOptions) {
    this.#o = o
  }

  record(ev: Evidence): NaraRow {
    const e = this.#entryFor(ev.name, ev.kind, ev.atMs)
    e.last = { kind: ev.kind, atMs: ev.atMs }
    e.verified += 1
    if (ev.nameProof === 'signature') e.signed = true
    if (ev.publicKey) e.publicKey = ev.publicKey
    if (ev.status) {
      e.status = { atMs: ev.atMs, value: ev.status }
      if (ev.status.PublicKey) e.publicKey = ev.status.PublicKey
    }
    if (ev.observations) e.observations = { atMs: ev.atMs, value: ev.observations }
    if (ev.kind === 'newspaper') this.#heartbeat(e, ev.atMs)
    const r = this.#row(e, ev.atMs)
    e.reported = r.state
    return r
  }

  conflict(name: string, nowMs: number): NaraRow | undefined {
    const e = this.#book.get(name)
    if (!e) return undefined
    e.conflicted = true
    return this.#row(e, nowMs)
  }

  rows(now: number): NaraRow[] {
    return [...this.#book.values()]
      .map((e) => this.#row(e, now))
      .sort((a, b) => a.name.localeCompare(b.name))
  }

  page(name: string, now: number): NaraPage | undefined {
    const e = this.#book.get(name)
    if (!e) return undefined
    const s = e.status
    return {
      row: this.#row(e, now),
      status: s ? statusView(s.atMs, s.value) : null,
      observations: e.observations ? observationsView(e.observations) : null,
      heartbeats: e.heartbeats.filter((t) => t >= now - this.#o.historyMs),
    }
  }

  changed(now: number): NaraRow[] {
    const out: NaraRow[] = []
    for (const e of this.#book.values()) {
      const state = stateOf(this.#o, e, now)
      if (state === e.reported) continue
      e.reported = state
      out.push(this.#row(e, now))
    }
    return out
  }

  nameOfId(id: string): string | undefined {
    return this.#ids.get(id)
  }

  bindId(id: string, name: string): void {
    if (this.#ids.size >= this.#o.maxNaras * 2 && !this.#ids.has(id)) this.#ids.clear()
    this.#ids.set(id, name)
  }

  #row(e: Entry, now: number): NaraRow {
    const version = e.status?.value.Version
    return {
      name: e.name,
      state: stateOf(this.#o, e, now),
      decidedBy: { ...e.last },
      missingAfterMs: thresholdMs(this.#o, e),
      trust: trustOf(e),
      fingerprint: keyFingerprint(e.publicKey),
      impl: version === undefined ? null : version.endsWith('-ts') ? 'ts' : 'go',
      lastNewspaperAtMs: e.heartbeats.at(-1) ?? null,
      firstSeenMs: e.firstSeenMs,
      restarts: e.restarts,
      verified: e.verified,
    }
  }

  /** A newspaper's time, keeping the last `historyMs` and at most `maxHeartbeats`. */
  #heartbeat(e: Entry, atMs: number): void {
    e.heartbeats.push(atMs)
    const cut = atMs - this.#o.historyMs
    let drop = 0
    while (drop < e.heartbeats.length && (e.heartbeats[drop] ?? 0) < cut) drop++
    drop = Math.max(drop, e.heartbeats.length - this.#o.maxHeartbeats)
    if (drop > 0) e.heartbeats.splice(0, drop)
  }

  /** Forgets the longest-silent nara when the book is full. */
  #makeRoom(): void {
    if (this.#book.size < this.#o.maxNaras) return
    let oldest: Entry | undefined
    for (const e of this.#book.values()) if (!oldest || e.last.atMs < oldest.last.atMs) oldest = e
    if (oldest) this.#book.delete(oldest.name)
  }

  #entryFor(name: string, kind: EvidenceKind, atMs: number): Entry {
    let e = this.#book.get(name)
    if (!e) {
      this.#makeRoom()
      e = newEntry(name, kind, atMs)
      this.#book.set(name, e)
    } else if (kind !== 'chau' && stateOf(this.#o, e, atMs) !== 'ONLINE') {
      e.restarts += 1
    }
    return e
  }
}

export function createNaraBook(o: NaraBookOptions): NaraBook {
  return new Book(o)
}

function observationsView(
  obs: NonNullable<Entry['observations']>,
): NonNullable<NaraPage['observations']> {
  return {
    atMs: obs.atMs,
    of: Object.entries(obs.value)
      .map(([n, ob]) => ({ name: n, online: ob.online ?? '', restarts: ob.restarts ?? 0 }))
      .sort((a, b) => a.name.localeCompare(b.name)),
  }
}

function statusView(atMs: number, s: NaraStatus): NonNullable<NaraPage['status']> {
  return {
    atMs,
    flair: s.Flair,
    // int64/uint64 fields beyond 2^53 arrive as bigints; the view is JSON.
    buzz: Number(s.Buzz),
    chattiness: Number(s.Chattiness),
    trend: s.Trend,
    trendEmoji: s.TrendEmoji,
    personality: {
      agreeableness: s.Personality.Agreeableness,
      sociability: s.Personality.Sociability,
      chill: s.Personality.Chill,
    },
    aura: { primary: s.Aura.primary, secondary: s.Aura.secondary },
    version: s.Version,
    hostUptimeS: Number(s.HostStats.Uptime),
    transport: s.transport_mode ?? null,
  }
}
