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
  const longest = Math.max(shape.newspaperPeriodS, shape.digestPeriodS)
  const warmUpS = options.warmUpS ?? 3 * longest
  const endS = warmUpS + (options.measureS ?? 10 * longest)
  const sim = new PlazaSimulation(shape, options.random ?? xorshift(1), options.tracked ?? 50)
  sim.run(warmUpS, endS, options.samplesPerS ?? 2)
  return sim.result(endS - warmUpS)
}

/** The state of one run: the event queue, what each nara last did, and the tallies. */
class PlazaSimulation {
  readonly #shape: PlazaShape
  readonly #random: () => number
  readonly #layout: Layout
  readonly #queue = createEventQueue<SimEvent>()
  readonly #lastPaperS: Float64Array
  /** What the digests told the plaza about each nara: its latest newspaper time. */
  readonly #digestKnownS: Float64Array
  readonly #legacy = tally()
  readonly #hood = tally()
  #deliveries = 0
  #events = 0

  constructor(shape: PlazaShape, random: () => number, tracked: number) {
    this.#shape = shape
    this.#random = random
    this.#layout = layout(shape, tracked)
    this.#lastPaperS = new Float64Array(shape.naras).fill(Number.NaN)
    this.#digestKnownS = new Float64Array(shape.naras).fill(Number.NaN)
  }

  /** Schedules every nara's first newspaper, every scribe's first digest and the first sample. */
  #schedule(warmUpS: number): void {
    const { naras, newspaperPeriodS: p, digestPeriodS: d, scribesPerHood } = this.#shape
    for (let i = 0; i < naras; i++) this.#queue.push(this.#random() * p, { kind: 'paper', nara: i })
    for (let h = 0; h < hoodCount(this.#shape); h++) {
      const phase = this.#random() * d
      for (let k = 0; k < scribesPerHood; k++) {
        this.#queue.push(phase + (k * d) / scribesPerHood, { kind: 'digest', hood: h })
      }
    }
    this.#queue.push(warmUpS, { kind: 'sample' })
  }

  /** Processes events until `endS`, counting from `warmUpS` on. */
  run(warmUpS: number, endS: number, samplesPerS: number): void {
    this.#schedule(warmUpS)
    const queue = this.#queue
    for (let next = queue.pop(); next !== undefined && next.atS < endS; next = queue.pop()) {
      const { atS: now, event } = next
      const measuring = now >= warmUpS
      this.#events += 1
      if (event.kind === 'paper') this.#paper(now, event, measuring)
      else if (event.kind === 'digest') this.#digest(now, event, measuring)
      else {
        this.#sampleAges(now)
        queue.push(now + 1 / samplesPerS, event)
      }
    }
  }

  /** Nara `event.nara` publishes a newspaper; its next one comes after a jittered period. */
  #paper(now: number, event: SimEvent & { kind: 'paper' }, measuring: boolean): void {
    const shape = this.#shape
    const { hoodOf, legacyTracked, trackedByHood, newInHood } = this.#layout
    const i = event.nara
    this.#lastPaperS[i] = now
    const period = shape.newspaperPeriodS * (1 + shape.newspaperJitter * (2 * this.#random() - 1))
    this.#queue.push(now + period, event)
    if (!measuring) return
    const h = hoodOf(i)
    this.#deliveries += shape.legacyNaras + (newInHood[h] as number) - 1
    for (const o of legacyTracked) if (o !== i) count(this.#legacy, shape.newspaperBytes)
    for (const o of trackedByHood.get(h) ?? []) if (o !== i) count(this.#hood, shape.newspaperBytes)
  }

  /** A scribe publishes its neighbourhood's digest: the latest newspaper times it heard. */
  #digest(now: number, event: SimEvent & { kind: 'digest' }, measuring: boolean): void {
    const { members, hoodTracked, newCount } = this.#layout
    for (const m of members[event.hood] ?? []) this.#digestKnownS[m] = this.#lastPaperS[m] as number
    this.#queue.push(now + this.#shape.digestPeriodS, event)
    if (!measuring) return
    this.#deliveries += newCount
    for (const _ of hoodTracked) count(this.#hood, digestBytes(this.#shape))
  }

  /** Each tracked nara looks at one other nara: how old is what it knows of it? */
  #sampleAges(now: number): void {
    const { hoodOf, legacyTracked, hoodTracked } = this.#layout
    const n = this.#shape.naras
    for (const o of legacyTracked) {
      const s = pickOther(o, n, this.#random)
      this.#legacy.nearAge += now - (this.#lastPaperS[s] as number)
      this.#legacy.nearN += 1
    }
    for (const o of hoodTracked) {
      const s = pickOther(o, n, this.#random)
      const near = hoodOf(s) === hoodOf(o)
      const known = (near ? this.#lastPaperS[s] : this.#digestKnownS[s]) as number
      if (near) {
        this.#hood.nearAge += now - known
        this.#hood.nearN += 1
      } else {
        this.#hood.farAge += now - known
        this.#hood.farN += 1
      }
    }
  }

  /** The loads over the `seconds` measured. */
  result(seconds: number): SimulationResult {
    const legacyLoad = loadOf(this.#legacy, this.#layout.legacyTracked.length, seconds)
    return {
      brokerDeliveriesPerS: this.#deliveries / seconds,
      // A legacy nara hears everyone the same way: no far view of its own.
      legacy: { ...legacyLoad, freshnessFarS: legacyLoad.freshnessNearS },
      hood: loadOf(this.#hood, this.#layout.hoodTracked.length, seconds),
      events: this.#events,
    }
  }
}

/** One message received and verified by a tracked nara. */
function count(t: Tally, bytes: number): void {
  t.messages += 1
  t.bytes += bytes
  t.verifications += 1
}

type Layout = ReturnType<typeof layout>

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
