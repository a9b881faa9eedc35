/**
 * The plaza's scale model in closed form: the flat plaza of today (every nara hears every
 * newspaper) and the neighbourhood design (a nara hears its neighbourhood's newspapers and
 * signed presence digests of every neighbourhood). docs/SCALE.md explains each term.
 */

/** The shape of a plaza. Periods in seconds, sizes in bytes. */
export interface PlazaShape {
  /** Naras on the plaza (N). */
  naras: number
  /** Mean newspaper period (P). */
  newspaperPeriodS: number
  /** Each period is drawn uniformly from P·(1 ± jitter). 0..1. */
  newspaperJitter: number
  /** Bytes of one newspaper on the wire (topic + payload). */
  newspaperBytes: number
  /** Naras that stay on the legacy subscriptions (Go naras, older plazas): they hear everything. */
  legacyNaras: number
  /** Naras per neighbourhood (G); neighbourhoods K = ceil(N / G). */
  hoodSize: number
  /** Naras of a neighbourhood that publish its digest (r), evenly staggered. */
  scribesPerHood: number
  /** Period of each scribe's digest (D). */
  digestPeriodS: number
  /** Bytes of one digest entry (name, NaraID prefix, last newspaper time, Status hash, state). */
  digestEntryBytes: number
  /** Bytes of a digest besides its entries (topic, SyncEvent envelope, signature). */
  digestOverheadBytes: number
}

/** What one nara receives, verifies and knows, per second. */
export interface NaraLoad {
  messagesPerS: number
  bytesPerS: number
  verificationsPerS: number
  /** Mean age of its presence view of a neighbourhood peer (or of anyone, when flat), s. */
  freshnessNearS: number
  /** Mean age of its presence view of a nara outside its neighbourhood, s. */
  freshnessFarS: number
}

export interface PlazaLoad {
  /** Messages the brokers deliver per second, all subscribers together. */
  brokerDeliveriesPerS: number
  /** A nara on the legacy subscriptions (today's plaza). */
  legacy: NaraLoad
  /** A nara of the neighbourhood design (all-new plaza when `legacyNaras` is 0). */
  hood: NaraLoad
}

export const DEFAULT_SHAPE: PlazaShape = {
  naras: 100,
  newspaperPeriodS: 60,
  newspaperJitter: 0.5,
  newspaperBytes: 1250,
  legacyNaras: 0,
  hoodSize: 100,
  scribesPerHood: 2,
  digestPeriodS: 120,
  digestEntryBytes: 32,
  digestOverheadBytes: 300,
}

export const hoodCount = (s: PlazaShape): number => Math.ceil(s.naras / s.hoodSize)

/** Mean age of the last event of a renewal process with periods uniform on P·(1 ± j). */
export const renewalMeanAgeS = (periodS: number, jitter: number): number =>
  (periodS / 2) * (1 + (jitter * jitter) / 3)

/** Bytes of one digest of a full neighbourhood. */
export const digestBytes = (s: PlazaShape): number =>
  s.digestOverheadBytes + s.hoodSize * s.digestEntryBytes

export function plazaLoad(s: PlazaShape): PlazaLoad {
  const n = s.naras
  const papersPerS = n / s.newspaperPeriodS
  const near = renewalMeanAgeS(s.newspaperPeriodS, s.newspaperJitter)
  const hoods = hoodCount(s)
  const digestsPerS = (hoods * s.scribesPerHood) / s.digestPeriodS
  const newNaras = n - s.legacyNaras
  const peerPapersPerS = (s.hoodSize - 1) / s.newspaperPeriodS
  const legacy: NaraLoad = {
    messagesPerS: (n - 1) / s.newspaperPeriodS,
    bytesPerS: ((n - 1) * s.newspaperBytes) / s.newspaperPeriodS,
    verificationsPerS: (n - 1) / s.newspaperPeriodS,
    freshnessNearS: near,
    freshnessFarS: near,
  }
  const hood: NaraLoad = {
    messagesPerS: peerPapersPerS + digestsPerS,
    bytesPerS: peerPapersPerS * s.newspaperBytes + digestsPerS * digestBytes(s),
    verificationsPerS: peerPapersPerS + digestsPerS,
    freshnessNearS: near,
    // The latest digest is U(0, D/r) old; the entry it carries is a newspaper's renewal age.
    freshnessFarS: near + s.digestPeriodS / (2 * s.scribesPerHood),
  }
  // Each newspaper reaches every other legacy nara and the new naras of its neighbourhood;
  // each digest reaches every new nara.
  const newPerHood = (newNaras * s.hoodSize) / n
  const brokerDeliveriesPerS =
    papersPerS * (s.legacyNaras + newPerHood - 1) + digestsPerS * newNaras
  return { brokerDeliveriesPerS, legacy, hood }
}
