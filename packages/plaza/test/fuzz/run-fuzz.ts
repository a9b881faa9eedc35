/**
 * Runs a seeded fuzz campaign in a worker thread under a watchdog. The worker publishes the index
 * of the input it is on; when that index has not moved for `hangMs` (1 s), the input is re-run
 * alone in a fresh worker, and if it stalls again it counts as a hang (the worker is terminated,
 * the input reported and skipped, the campaign goes on). No duration is asserted beyond that.
 */
import { createRequire } from 'node:module'
import { pathToFileURL } from 'node:url'
import { Worker } from 'node:worker_threads'
import { addCounts, emptyCounts, type FuzzCounts, type Target } from './engine.js'

export interface FuzzOptions {
  readonly seed: number
  readonly count: number
  /** First input index. Default 0. */
  readonly from?: number
  /** An input running longer than this is a hang, ms. Default 1000. */
  readonly hangMs?: number
  /** Inputs per message to the worker. Default 2000. */
  readonly chunk?: number
  /** Called after each chunk with the inputs done so far. */
  readonly onProgress?: (done: number) => void
  /** The watchdog's own test: this input spins forever. */
  readonly simulateHangAt?: number
}

export interface FuzzReport extends FuzzCounts {
  readonly seed: number
  readonly from: number
  readonly seconds: number
  readonly perSecond: number
  readonly corpus: number
  readonly references: number
  readonly originalsAccepted: Record<Target, number>
}

interface Ready {
  originalsAccepted: Record<Target, number>
  references: number
  corpus: number
}

const WORKER = new URL('./fuzz-worker.ts', import.meta.url).href
// Node 20 workers ignore `--import` in execArgv: the worker registers tsx itself, then loads
// the TypeScript entry.
const TSX_API = pathToFileURL(createRequire(import.meta.url).resolve('tsx/esm/api')).href
const BOOT = `import(${JSON.stringify(TSX_API)}).then((t) => { t.register(); return import(${JSON.stringify(WORKER)}) })`

/** A fuzz worker with the tsx loader (the harness is TypeScript, run from source). */
class FuzzThread {
  readonly progress = new Int32Array(new SharedArrayBuffer(4))
  readonly worker: Worker
  readonly ready: Promise<Ready>
  #pending: ((counts: FuzzCounts) => void) | undefined
  #failed: ((error: Error) => void) | undefined

  constructor(simulateHangAt: number | undefined) {
    this.worker = new Worker(BOOT, {
      eval: true,
      workerData: { progress: this.progress.buffer, simulateHangAt },
    })
    this.ready = new Promise((resolve, reject) => {
      this.worker.once('error', reject)
      this.worker.on('message', (m: { type: string; counts?: FuzzCounts } & Ready) => {
        if (m.type === 'ready') resolve(m)
        else if (m.type === 'done' && m.counts) this.#pending?.(m.counts)
      })
    })
    this.worker.on('error', (e) => this.#failed?.(e))
  }

  /** Runs `[from, to)`; resolves with the counts, or `hang` with the stuck index. */
  run(seed: number, from: number, to: number, hangMs: number) {
    Atomics.store(this.progress, 0, from)
    return new Promise<{ counts: FuzzCounts } | { hang: number }>((resolve, reject) => {
      let last = from
      let since = performance.now()
      const timer = setInterval(
        () => {
          const now = Atomics.load(this.progress, 0)
          if (now !== last) {
            last = now
            since = performance.now()
          } else if (performance.now() - since > hangMs) {
            clearInterval(timer)
            resolve({ hang: now })
          }
        },
        Math.max(10, hangMs / 10),
      )
      this.#pending = (counts) => {
        clearInterval(timer)
        resolve({ counts })
      }
      this.#failed = (e) => {
        clearInterval(timer)
        reject(e)
      }
      this.worker.postMessage({ seed, from, to })
    })
  }

  stop(): Promise<number> {
    return this.worker.terminate()
  }
}

/** Runs `count` inputs of `seed` and reports the counts and the throughput. */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const { seed, count } = options
  const from = options.from ?? 0
  const hangMs = options.hangMs ?? 1000
  const chunk = options.chunk ?? 2000
  const total = emptyCounts()
  let thread = new FuzzThread(options.simulateHangAt)
  const ready = await thread.ready
  const started = performance.now()
  let next = from
  try {
    while (next < from + count) {
      const to = Math.min(from + count, next + chunk)
      const r = await thread.run(seed, next, to, hangMs)
      if ('counts' in r) {
        addCounts(total, r.counts)
        next = to
        options.onProgress?.(next - from)
        continue
      }
      // Stuck: restart, re-run the chunk up to the stuck input, then that input alone.
      await thread.stop()
      thread = new FuzzThread(options.simulateHangAt)
      await thread.ready
      if (r.hang > next) {
        const before = await thread.run(seed, next, r.hang, hangMs)
        if ('counts' in before) addCounts(total, before.counts)
      }
      const alone = await thread.run(seed, r.hang, r.hang + 1, hangMs)
      if ('counts' in alone) addCounts(total, alone.counts)
      else {
        total.hangs++
        total.inputs++
        total.findings.push({
          type: 'hang',
          index: r.hang,
          target: 'either',
          vector: `input ${r.hang} % ${ready.corpus}`,
          topic: null,
          detail: `no progress for ${hangMs} ms, twice`,
          payloadBase64: '',
        })
        await thread.stop()
        thread = new FuzzThread(options.simulateHangAt)
        await thread.ready
      }
      next = r.hang + 1
    }
  } finally {
    await thread.stop()
  }
  const seconds = (performance.now() - started) / 1000
  return {
    ...total,
    seed,
    from,
    seconds,
    perSecond: total.inputs / seconds,
    corpus: ready.corpus,
    references: ready.references,
    originalsAccepted: ready.originalsAccepted,
  }
}
