/**
 * A discrete-event simulation of one plaza shape (see model.ts): every nara publishes
 * newspapers with jittered periods, each neighbourhood's scribes publish signed digests of
 * their neighbourhood, and a sample of tracked naras counts what it receives and how old its
 * presence view is. Broker deliveries are counted per publish (its subscriber count). Brokers
 * add no latency (it is milliseconds against periods of a minute).
 */
import { createEventQueue } from './event-queue.js'
import { digestBytes, hoodCount, type NaraLoad, type PlazaLoad, type PlazaShape } from './model.js'

export interface SimulationOptions {
  /** Simulated seconds before measuring (every period has started). Default 3·max(P, D). */
  warmUpS?: number
  /** Simulated seconds measured. Default 10·max(P, D). */
  measureS?: number
  /** Tracked naras of each design (legacy, neighbourhood). Default 50 each (fewer if absent). */
  tracked?: number
  /** Freshness samples per tracked nara per simulated second. Default 2. */
  samplesPerS?: number
  /** A uniform random source in [0, 1). Default a seeded xorshift (seed 1). */
  random?: () => number
}

export interface SimulationResult extends PlazaLoad {
  /** Events processed, for the curious. */
  events: number
}

type SimEvent =
  | { kind: 'paper'; nara: number }
  | { kind: 'digest'; hood: number }
  | { kind: 'sample' }

export function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1
  return () => {
    x ^= x << 13
    x >>>= 0
    x ^= x >>> 17
    x ^= x << 5
    x >>>= 0
    return x / 2 ** 32
  }
}

interface Tally {
  messages: number
  bytes: number
  verifications: number
  nearAge: number
  nearN: number
  farAge: number
  farN: number
}

const tally = (): Tally => ({
  messages: 0,
  bytes: 0,
  verifications: 0,
  nearAge: 0,
  nearN: 0,
  farAge: 0,
  farN: 0,
})

function loadOf(t: Tally, naras: number, seconds: number): NaraLoad {
  const per = Math.max(1, naras) * seconds
  return {
    messagesPerS: t.messages / per,
    bytesPerS: t.bytes / per,
    verificationsPerS: t.verifications / per,
    freshnessNearS: t.nearN === 0 ? Number.NaN : t.nearAge / t.nearN,
    freshnessFarS: t.farN === 0 ? Number.NaN : t.farAge / t.farN,
  }
}

export function simulate(shape: PlazaShape, options: SimulationOptions = {}): SimulationResult {
  const n = shape.naras
  const p = shape.newspaperPeriodS
  const d = shape.digestPeriodS
  const hoods = hoodCount(shape)
  const random = options.random ?? xorshift(1)
  const warmUpS = options.warmUpS ?? 3 * Math.max(p, d)
  const endS = warmUpS + (options.measureS ?? 10 * Math.max(p, d))
  const { hoodOf, legacyTracked, hoodTracked, trackedByHood, members, newInHood, newCount } =
    layout(shape, options.tracked ?? 50)
  const lastPaperS = new Float64Array(n).fill(Number.NaN)
  // What the digests told the plaza about each nara: its latest newspaper time.
  const digestKnownS = new Float64Array(n).fill(Number.NaN)
  const legacy = tally()
  const hood = tally()
  let deliveries = 0
  let events = 0
  const queue = createEventQueue<SimEvent>()
  const period = () => p * (1 + shape.newspaperJitter * (2 * random() - 1))
  for (let i = 0; i < n; i++) queue.push(random() * p, { kind: 'paper', nara: i })
  for (let h = 0; h < hoods; h++) {
    const phase = random() * d
    for (let k = 0; k < shape.scribesPerHood; k++) {
      queue.push(phase + (k * d) / shape.scribesPerHood, { kind: 'digest', hood: h })
    }
  }
  const samplesPerS = options.samplesPerS ?? 2
  queue.push(warmUpS, { kind: 'sample' })

  const count = (t: Tally, bytes: number) => {
    t.messages += 1
    t.bytes += bytes
    t.verifications += 1
  }
  const sampleAges = (now: number) => {
    for (const o of legacyTracked) {
      const s = pickOther(o, n, random)
      legacy.nearAge += now - (lastPaperS[s] as number)
      legacy.nearN += 1
    }
    for (const o of hoodTracked) {
      const s = pickOther(o, n, random)
      const near = hoodOf(s) === hoodOf(o)
      const known = near ? lastPaperS[s] : digestKnownS[s]
      if (near) {
        hood.nearAge += now - (known as number)
        hood.nearN += 1
      } else {
        hood.farAge += now - (known as number)
        hood.farN += 1
      }
    }
  }

  for (let next = queue.pop(); next !== undefined && next.atS < endS; next = queue.pop()) {
    const { atS: now, event } = next
    const measuring = now >= warmUpS
    events += 1
    if (event.kind === 'paper') {
      const i = event.nara
      lastPaperS[i] = now
      queue.push(now + period(), event)
      if (!measuring) continue
      const h = hoodOf(i)
      deliveries += shape.legacyNaras + (newInHood[h] as number) - 1
      for (const o of legacyTracked) if (o !== i) count(legacy, shape.newspaperBytes)
      for (const o of trackedByHood.get(h) ?? []) if (o !== i) count(hood, shape.newspaperBytes)
    } else if (event.kind === 'digest') {
      // The scribe hears every newspaper of its neighbourhood: its digest is their latest times.
      for (const m of members[event.hood] ?? []) digestKnownS[m] = lastPaperS[m] as number
      queue.push(now + d, event)
      if (!measuring) continue
      deliveries += newCount
      for (const _ of hoodTracked) count(hood, digestBytes(shape))
    } else {
      sampleAges(now)
      queue.push(now + 1 / samplesPerS, event)
    }
  }
  const seconds = endS - warmUpS
  const legacyLoad = loadOf(legacy, legacyTracked.length, seconds)
  return {
    brokerDeliveriesPerS: deliveries / seconds,
    // A legacy nara hears everyone the same way: no far view of its own.
    legacy: { ...legacyLoad, freshnessFarS: legacyLoad.freshnessNearS },
    hood: loadOf(hood, hoodTracked.length, seconds),
    events,
  }
}

/** Who is in which neighbourhood, and which naras are tracked (the first of each design). */
function layout(shape: PlazaShape, wanted: number) {
  const n = shape.naras
  const hoods = hoodCount(shape)
  const hoodOf = (i: number) => i % hoods
  const isLegacy = (i: number) => i < shape.legacyNaras
  const newCount = n - shape.legacyNaras
  const legacyTracked = Array.from({ length: Math.min(wanted, shape.legacyNaras) }, (_, i) => i)
  const hoodTracked = Array.from(
    { length: Math.min(wanted, newCount) },
    (_, i) => shape.legacyNaras + i,
  )
  const trackedByHood = new Map<number, number[]>()
  for (const i of hoodTracked)
    trackedByHood.set(hoodOf(i), [...(trackedByHood.get(hoodOf(i)) ?? []), i])
  const members: number[][] = Array.from({ length: hoods }, () => [])
  for (let i = 0; i < n; i++) members[hoodOf(i)]?.push(i)
  const newInHood = members.map((m) => m.filter((i) => !isLegacy(i)).length)
  return { hoodOf, legacyTracked, hoodTracked, trackedByHood, members, newInHood, newCount }
}

function pickOther(self: number, n: number, random: () => number): number {
  const s = Math.floor(random() * (n - 1))
  return s >= self ? s + 1 : s
}
