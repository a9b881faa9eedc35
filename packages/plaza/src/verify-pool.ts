/**
 * Ed25519 verification off the main thread: a small `worker_threads` pool. Jobs are batched
 * (everything submitted in one event-loop turn, up to `maxBatch`), packed into one transferable
 * buffer per batch, answered with one byte per job, and spread over the workers by least
 * outstanding work. Each worker (`verify-worker.ts`, a module loaded by URL) loads `@nara/crypto`
 * and uses its fastest backend.
 *
 * Each worker counts the jobs it has finished in a shared `Int32Array`, so the caller knows how
 * much work a worker really has left without waiting for its answer to be delivered. With
 * `inlineBackend`, once every worker holds `inlineAfterJobs` unfinished jobs, further jobs are
 * verified at once on the calling thread: its core helps instead of queueing more (on a 2-core
 * machine, 1 worker + the caller use both cores). Those results can arrive before the results of
 * earlier jobs still in a worker.
 *
 * A worker that dies after it loaded (crash, `terminate()` from outside) is replaced by a fresh
 * one. Its unanswered jobs are LOST: their `done` gets `false` results with `lost = true`, so the
 * caller can count them as its own failure (the plaza: `internal-error`), never as a bad
 * signature, and never deliver them unverified.
 */
import { Worker } from 'node:worker_threads'
import type { Ed25519Backend } from '@nara/crypto'
import { VerifyWorkerError } from './errors.js'
import {
  answerBatch,
  type Batch,
  emptyBatch,
  failBatch,
  packBatch,
  type VerifyDone,
} from './verify-batch.js'
import type { VerifyWorkerData, VerifyWorkerMessage } from './verify-worker.js'

/** One signature check: `signature` (64 bytes) over `message` with `publicKey` (32 bytes). */
export interface VerifyJob {
  readonly message: Uint8Array
  readonly signature: Uint8Array
  readonly publicKey: Uint8Array
}

/** Options of {@link createVerifyPool}. */
export interface VerifyPoolOptions {
  /** Worker threads. Default 1. */
  workers?: number
  /** Most jobs per batch message. Default 64. */
  maxBatch?: number
  /**
   * When set, the calling thread helps: a job submitted while every worker already holds
   * `inlineAfterJobs` unfinished jobs is verified at once with this backend (its `done` is then
   * called synchronously). Default: never inline.
   */
  inlineBackend?: Ed25519Backend
  /** Unfinished jobs per worker beyond which `inlineBackend` takes new jobs. Default 4 × `maxBatch`. */
  inlineAfterJobs?: number
  /** Stops the pool when aborted. */
  signal?: AbortSignal
}

/** A running pool (see {@link createVerifyPool}). */
export interface VerifyPool {
  /** Resolves when every worker has loaded its backend; rejects with a `VerifyWorkerError` if one failed to. */
  start(): Promise<void>
  /**
   * Verifies `jobs`; `done` gets one boolean per job, in order. When the checks could not run
   * (their worker died, or the pool is stopped), every result is `false` and `lost` is `true`.
   */
  submit(jobs: readonly VerifyJob[], done: VerifyDone): void
  /** Promise form of `submit`. */
  verify(jobs: readonly VerifyJob[]): Promise<boolean[]>
  /** Jobs submitted and not yet answered. */
  readonly pending: number
  /** Jobs verified on the calling thread with `inlineBackend` so far. */
  readonly verifiedInline: number
  /** The backend the workers use (`sodium`, `node` or `noble`), once started. */
  readonly backendName: string | undefined
  /** Workers that died after loading and were replaced by a fresh one (ready) so far. */
  readonly respawns: number
  /** Terminates the workers; outstanding jobs complete with `false`, flagged lost. Idempotent. */
  stop(): Promise<void>
}

/**
 * The worker module's URL: the compiled `verify-worker.js` beside this file. When this file runs
 * from source (vitest, tsx), the package's build output `dist/verify-worker.js` (Node 20 cannot
 * give a worker thread a TypeScript loader; `turbo test` builds first).
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('../dist/verify-worker.js', import.meta.url)
  : new URL('./verify-worker.js', import.meta.url)

function verifyInline(backend: Ed25519Backend, job: VerifyJob): boolean {
  try {
    return backend.verify(job.signature, job.message, job.publicKey)
  } catch {
    return false
  }
}

interface Slot {
  worker: Worker
  inflight: Map<number, Batch>
  /** Jobs posted and not yet answered. */
  outstanding: number
  /** Jobs ever posted to this worker. */
  posted: number
  /** [0]: jobs this worker has finished (written by the worker). */
  progress: Int32Array
}

/** Jobs a worker has been given and not finished yet (its answer may still be on the way). */
const unfinished = (slot: Slot): number => slot.posted - Atomics.load(slot.progress, 0)

export function createVerifyPool(options: VerifyPoolOptions = {}): VerifyPool {
  const size = options.workers ?? 1
  if (!Number.isInteger(size) || size < 1) {
    throw new RangeError(`verify pool needs at least one worker (got ${size})`)
  }
  const maxBatch = options.maxBatch ?? 64
  if (!Number.isInteger(maxBatch) || maxBatch < 1) {
    throw new RangeError(`verify pool maxBatch must be a positive integer (got ${maxBatch})`)
  }
  const inlineBackend = options.inlineBackend
  const inlineAfterJobs = options.inlineAfterJobs ?? 4 * maxBatch
  let verifiedInline = 0
  const slots: Slot[] = []
  let queued: Batch = emptyBatch()
  let flushScheduled = false
  let nextId = 1
  let pending = 0
  let stopped = false
  let backendName: string | undefined
  let started: Promise<void> | undefined
  let respawns = 0

  const settled = (count: number): void => {
    pending -= count
  }

  const spawn = (): Promise<void> =>
    new Promise<void>((resolve, reject) => {
      const progress = new SharedArrayBuffer(4)
      const workerData: VerifyWorkerData = { progress }
      const worker = new Worker(WORKER_URL, { workerData })
      const slot: Slot = {
        worker,
        inflight: new Map(),
        outstanding: 0,
        posted: 0,
        progress: new Int32Array(progress),
      }
      let ready = false
      slots.push(slot)
      worker.on('message', (msg: VerifyWorkerMessage) => {
        if ('ready' in msg) {
          if (msg.ready) {
            ready = true
            backendName = msg.backend
            resolve()
          } else {
            reject(new VerifyWorkerError(`verify worker could not load @nara/crypto: ${msg.error}`))
          }
          return
        }
        const batch = slot.inflight.get(msg.id)
        if (batch === undefined) return
        slot.inflight.delete(msg.id)
        slot.outstanding -= batch.jobs.length
        answerBatch(batch, msg.out, settled)
      })
      worker.on('error', (err) => {
        reject(new VerifyWorkerError(`verify worker failed: ${err.message}`, { cause: err }))
        for (const batch of slot.inflight.values()) failBatch(batch, settled)
        slot.inflight.clear()
        slot.outstanding = 0
      })
      worker.on('exit', () => {
        const i = slots.indexOf(slot)
        if (i >= 0) slots.splice(i, 1)
        for (const batch of slot.inflight.values()) failBatch(batch, settled)
        slot.inflight.clear()
        slot.outstanding = 0
        // Replace a worker that died after loading (one that never loaded is not retried: it
        // would fail the same way again).
        if (ready && !stopped) {
          spawn().then(
            () => {
              respawns += 1
            },
            () => {},
          )
        }
      })
    })

  const send = (batch: Batch): void => {
    let slot: Slot | undefined
    for (const s of slots) if (slot === undefined || unfinished(s) < unfinished(slot)) slot = s
    if (slot === undefined || stopped) {
      failBatch(batch, settled)
      return
    }
    const buf = packBatch(batch.jobs)
    const id = nextId++
    slot.inflight.set(id, batch)
    slot.outstanding += batch.jobs.length
    slot.posted += batch.jobs.length
    slot.worker.postMessage({ id, buf, count: batch.jobs.length }, [buf])
  }

  const flush = (): void => {
    flushScheduled = false
    const batch = queued
    queued = emptyBatch()
    if (batch.jobs.length > 0) send(batch)
  }

  /** Whether every worker already holds `inlineAfterJobs` unfinished jobs (queued included). */
  const saturated = (): boolean => {
    if (slots.length === 0) return false
    let least = Number.POSITIVE_INFINITY
    for (const s of slots) least = Math.min(least, unfinished(s))
    return least + queued.jobs.length / slots.length >= inlineAfterJobs
  }

  const pool: VerifyPool = {
    start() {
      started ??= Promise.all(Array.from({ length: size }, spawn)).then(() => undefined)
      return started
    },
    submit(jobs, done) {
      for (const job of jobs) {
        if (job.signature.length !== 64 || job.publicKey.length !== 32) {
          throw new RangeError('verify job needs a 64-byte signature and a 32-byte public key')
        }
      }
      if (stopped || jobs.length === 0) {
        done(new Array<boolean>(jobs.length).fill(false), stopped)
        return
      }
      if (inlineBackend !== undefined && saturated()) {
        verifiedInline += jobs.length
        done(jobs.map((j) => verifyInline(inlineBackend, j)))
        return
      }
      pending += jobs.length
      for (const job of jobs) queued.jobs.push(job)
      queued.callbacks.push({ count: jobs.length, done })
      if (queued.jobs.length >= maxBatch) {
        flush()
      } else if (!flushScheduled) {
        flushScheduled = true
        setImmediate(flush)
      }
    },
    verify(jobs) {
      return new Promise((resolve) => pool.submit(jobs, resolve))
    },
    get pending() {
      return pending
    },
    get verifiedInline() {
      return verifiedInline
    },
    get backendName() {
      return backendName
    },
    get respawns() {
      return respawns
    },
    async stop() {
      if (stopped) return
      stopped = true
      const batch = queued
      queued = emptyBatch()
      failBatch(batch, settled)
      await Promise.all(slots.map((s) => s.worker.terminate()))
    },
  }
  options.signal?.addEventListener('abort', () => void pool.stop(), { once: true })
  return pool
}
