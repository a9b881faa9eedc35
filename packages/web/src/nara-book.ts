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

export function createNaraBook(o: NaraBookOptions): NaraBook {
  const book = new Map<string, Entry>()
  const ids = new Map<string, string>()

  const thresholdMs = (e: Entry) =>
    e.status?.value.transport_mode === 'gossip' ? o.gossipMissingAfterMs : o.missingAfterMs

  const stateOf = (e: Entry, now: number): PresenceState => {
    if (e.last.kind === 'chau') return 'OFFLINE'
    return now - e.last.atMs > thresholdMs(e) ? 'MISSING' : 'ONLINE'
  }

  const trustOf = (e: Entry): TrustTier =>
    e.conflicted ? 'conflicted' : e.signed ? 'signature' : 'topic'

  const row = (e: Entry, now: number): NaraRow => {
    const version = e.status?.value.Version
    return {
      name: e.name,
      state: stateOf(e, now),
      decidedBy: { ...e.last },
      missingAfterMs: thresholdMs(e),
      trust: trustOf(e),
      fingerprint: keyFingerprint(e.publicKey),
      impl: version === undefined ? null : version.endsWith('-ts') ? 'ts' : 'go',
      lastNewspaperAtMs: e.heartbeats.at(-1) ?? null,
      firstSeenMs: e.firstSeenMs,
      restarts: e.restarts,
      verified: e.verified,
    }
  }

  /** Forgets the longest-silent nara when the book is full. */
  const makeRoom = () => {
    if (book.size < o.maxNaras) return
    let oldest: Entry | undefined
    for (const e of book.values()) if (!oldest || e.last.atMs < oldest.last.atMs) oldest = e
    if (oldest) book.delete(oldest.name)
  }

  const entryFor = (name: string, kind: EvidenceKind, atMs: number): Entry => {
    let e = book.get(name)
    if (!e) {
      makeRoom()
      e = {
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
      }
      book.set(name, e)
    } else if (kind !== 'chau' && stateOf(e, atMs) !== 'ONLINE') {
      e.restarts += 1
    }
    return e
  }

  return {
    record(ev) {
      const e = entryFor(ev.name, ev.kind, ev.atMs)
      e.last = { kind: ev.kind, atMs: ev.atMs }
      e.verified += 1
      if (ev.nameProof === 'signature') e.signed = true
      if (ev.publicKey) e.publicKey = ev.publicKey
      if (ev.status) {
        e.status = { atMs: ev.atMs, value: ev.status }
        if (ev.status.PublicKey) e.publicKey = ev.status.PublicKey
      }
      if (ev.observations) e.observations = { atMs: ev.atMs, value: ev.observations }
      if (ev.kind === 'newspaper') {
        e.heartbeats.push(ev.atMs)
        const cut = ev.atMs - o.historyMs
        let drop = 0
        while (drop < e.heartbeats.length && (e.heartbeats[drop] ?? 0) < cut) drop++
        drop = Math.max(drop, e.heartbeats.length - o.maxHeartbeats)
        if (drop > 0) e.heartbeats.splice(0, drop)
      }
      const r = row(e, ev.atMs)
      e.reported = r.state
      return r
    },
    conflict(name, nowMs) {
      const e = book.get(name)
      if (!e) return undefined
      e.conflicted = true
      return row(e, nowMs)
    },
    rows: (now) =>
      [...book.values()].map((e) => row(e, now)).sort((a, b) => a.name.localeCompare(b.name)),
    page(name, now) {
      const e = book.get(name)
      if (!e) return undefined
      const s = e.status
      return {
        row: row(e, now),
        status: s ? statusView(s.atMs, s.value) : null,
        observations: e.observations
          ? {
              atMs: e.observations.atMs,
              of: Object.entries(e.observations.value)
                .map(([n, ob]) => ({
                  name: n,
                  online: ob.online ?? '',
                  restarts: ob.restarts ?? 0,
                }))
                .sort((a, b) => a.name.localeCompare(b.name)),
            }
          : null,
        heartbeats: e.heartbeats.filter((t) => t >= now - o.historyMs),
      }
    },
    changed(now) {
      const out: NaraRow[] = []
      for (const e of book.values()) {
        const state = stateOf(e, now)
        if (state === e.reported) continue
        e.reported = state
        out.push(row(e, now))
      }
      return out
    },
    nameOfId: (id) => ids.get(id),
    bindId(id, name) {
      if (ids.size >= o.maxNaras * 2 && !ids.has(id)) ids.clear()
      ids.set(id, name)
    },
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
