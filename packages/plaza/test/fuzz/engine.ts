/**
 * The fuzz loop: input `i` of seed `s` is a pure function of `(s, i)` (its own seeded random
 * source), so any range of inputs can be run, re-run or skipped on its own. Each input is a
 * mutation of one corpus payload (round robin over the corpus), sent through decode + verify and,
 * for payloads with a plaza topic, through the inbound pipeline (sometimes on a mutated topic).
 * Counted: escapes (an exception leaving either API, or the pipeline catching one of its own as
 * `internal-error`), and accepted changes to signed content (see `signed-content.ts`). Hangs are
 * the watchdog's business (`run-fuzz.ts`): it sees `progress` stop moving.
 */
import { fastestBackend } from '@nara/crypto'
import { seededRandom } from '@nara/vitest-config/random'
import { mutate } from './mutate.js'
import { SignedReferences, signedContent } from './signed-content.js'
import { decodeAndVerify, type FuzzCase, loadCorpus, PipelineTarget } from './targets.js'

export type Target = 'decode+verify' | 'pipeline'

/** One thing found, with what it takes to reproduce it. */
export interface Finding {
  readonly type: 'escape' | 'hang' | 'accepted-change'
  readonly index: number
  readonly target: Target | 'either'
  readonly vector: string
  readonly topic: string | null
  readonly detail: string
  /** The mutated payload, base64 (first 4 KiB). */
  readonly payloadBase64: string
}

/** What a range of inputs did. */
export interface FuzzCounts {
  inputs: number
  escapes: number
  hangs: number
  acceptedChanges: number
  /** Mutants accepted with unchanged signed content, per target (the oracle was exercised). */
  acceptedSame: Record<Target, number>
  /** Decoder failures it caught itself (`internal decoder error`): not escapes, shown. */
  decoderInternal: number
  /** Slowest single input, ms. */
  maxInputMs: number
  findings: Finding[]
}

export const emptyCounts = (): FuzzCounts => ({
  inputs: 0,
  escapes: 0,
  hangs: 0,
  acceptedChanges: 0,
  acceptedSame: { 'decode+verify': 0, pipeline: 0 },
  decoderInternal: 0,
  maxInputMs: 0,
  findings: [],
})

const MAX_FINDINGS = 20

/** Seed of input `index`: a murmur3 finalizer over seed and index. */
export function inputSeed(seed: number, index: number): number {
  let h = (Math.imul(seed | 0, 0x9e3779b1) + index) | 0
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  h ^= h >>> 16
  return h | 0 || 1
}

const OTHER_TOPICS = [
  'nara/plaza/hey_there',
  'nara/plaza/howdy',
  'nara/plaza/social',
  'nara/newspaper/bob',
  'nara/newspaper/zed',
  'nara/checkpoint/final',
  'nara/ledger/alice/request',
]

/** The corpus, the references and both targets: built once per thread. */
export class FuzzEngine {
  readonly corpus: FuzzCase[] = loadCorpus()
  readonly references = new SignedReferences()
  /** Originals accepted per target (a sanity figure: the harness reaches acceptance). */
  readonly originalsAccepted: Record<Target, number> = { 'decode+verify': 0, pipeline: 0 }
  readonly #backend = fastestBackend()
  readonly #pipeline = new PipelineTarget(this.#backend)

  constructor() {
    const enc = new TextEncoder()
    for (const c of this.corpus) {
      const out = decodeAndVerify(c, enc.encode(c.text), this.#backend)
      if (out.content !== undefined) {
        this.references.add(out.content)
        this.originalsAccepted['decode+verify']++
      }
    }
    for (const c of this.corpus) {
      if (c.topic === null) continue
      const out = new PipelineTarget(this.#backend).run(c, c.topic, enc.encode(c.text))
      if (out.delivered.length > 0) this.originalsAccepted.pipeline++
    }
  }

  /**
   * Runs inputs `[from, to)` of `seed`, writing the index being run to `progress[0]`.
   * `simulateHangAt` (the watchdog's own test) makes that input spin forever.
   */
  run(
    seed: number,
    from: number,
    to: number,
    progress?: Int32Array,
    simulateHangAt?: number,
  ): FuzzCounts {
    const counts = emptyCounts()
    for (let i = from; i < to; i++) {
      if (progress !== undefined) Atomics.store(progress, 0, i)
      const started = performance.now()
      while (i === simulateHangAt) Atomics.load(progress ?? new Int32Array(1), 0)
      this.#one(seed, i, counts)
      counts.inputs++
      counts.maxInputMs = Math.max(counts.maxInputMs, performance.now() - started)
    }
    return counts
  }

  /** The corpus case and mutated bytes of input `index` (for reports and reproduction). */
  input(seed: number, index: number): { c: FuzzCase; topic: string | null; bytes: Uint8Array } {
    const rand = seededRandom(inputSeed(seed, index))
    const c = this.corpus[index % this.corpus.length] as FuzzCase
    const bytes = mutate(c.text, rand)
    const topic = c.topic !== null && rand() < 0.04 ? OTHER_TOPICS[Math.floor(rand() * 7)] : c.topic
    return { c, topic: topic ?? null, bytes }
  }

  #one(seed: number, index: number, counts: FuzzCounts): void {
    const { c, topic, bytes } = this.input(seed, index)
    const found = (type: Finding['type'], target: Target, detail: string) => {
      if (type === 'escape') counts.escapes++
      else counts.acceptedChanges++
      if (counts.findings.length >= MAX_FINDINGS) return
      const payloadBase64 = Buffer.from(bytes.subarray(0, 4096)).toString('base64')
      counts.findings.push({ type, index, target, vector: c.id, topic, detail, payloadBase64 })
    }
    try {
      const out = decodeAndVerify(c, bytes, this.#backend)
      if (!out.decoded.ok && out.decoded.detail === 'internal decoder error') {
        counts.decoderInternal++
      }
      if (out.content !== undefined) {
        const why = this.references.judge(out.content)
        if (why === undefined) counts.acceptedSame['decode+verify']++
        else found('accepted-change', 'decode+verify', why)
      }
    } catch (error) {
      found('escape', 'decode+verify', String((error as Error)?.stack ?? error).slice(0, 600))
    }
    if (topic === null) return
    try {
      const out = this.#pipeline.run(c, topic, bytes)
      for (const e of out.internalErrors) found('escape', 'pipeline', e.slice(0, 600))
      for (const ev of out.delivered) {
        const content = signedContent(ev, out.keyring, this.#backend)
        const why = content === undefined ? undefined : this.references.judge(content)
        if (why === undefined) counts.acceptedSame.pipeline++
        else found('accepted-change', 'pipeline', why)
      }
    } catch (error) {
      found('escape', 'pipeline', String((error as Error)?.stack ?? error).slice(0, 600))
    }
  }
}

/** Adds `b` into `a` (findings capped). */
export function addCounts(a: FuzzCounts, b: FuzzCounts): void {
  a.inputs += b.inputs
  a.escapes += b.escapes
  a.hangs += b.hangs
  a.acceptedChanges += b.acceptedChanges
  a.acceptedSame['decode+verify'] += b.acceptedSame['decode+verify']
  a.acceptedSame.pipeline += b.acceptedSame.pipeline
  a.decoderInternal += b.decoderInternal
  a.maxInputMs = Math.max(a.maxInputMs, b.maxInputMs)
  a.findings.push(...b.findings.slice(0, Math.max(0, MAX_FINDINGS - a.findings.length)))
}
