/**
 * Ed25519 verification off the main thread: a small `worker_threads` pool. Jobs are batched
 * (everything submitted in one event-loop turn, up to `maxBatch`), packed into one transferable
 * buffer per batch (`verify-batch.ts`), answered with one byte per job, and spread over the
 * workers by least outstanding work. Each worker (`verify-worker.ts`, loaded by URL) uses
 * `@nara/crypto`'s fastest backend. Each worker counts the jobs it has finished in a shared
 * `Int32Array`, so the caller knows how much work a worker really has left without waiting for
 * its answer. With `inlineBackend`, the calling thread verifies at once (`done` runs at once):
 * - the first submit of an event-loop turn while a worker is idle and nothing is queued (a lone
 *   message in a socket read): inline latency, no hop to a worker and back, when traffic is light;
 * - any submit once every worker holds `inlineAfterJobs` unfinished jobs: its core helps instead
 *   of queueing more (on a 2-core machine, 1 worker + the caller use both cores).
 * Inline results can arrive before the results of earlier jobs still in a worker.
 *
 * A worker that dies after it loaded (crash, `terminate()` from outside) is replaced by a fresh
 * one. Its unanswered jobs are LOST: their `done` gets `false` results with `lost = true`, so the
 * caller can count them as its own failure (the plaza: `internal-error`), never as a bad
 * signature, and never deliver them unverified.
 */
import type { Ed25519Backend } from '@nara/crypto'
import { VerifyWorkerError } from './errors.js'
import {
  answered,
  type Batch,
  emptyBatch,
  failBatch,
  failInflight,
  leastBusy,
  leastUnfinished,
  newSlot,
  packBatch,
  type Slot,
  takeAnswers,
  type VerifyDone,
  verifyInline,
} from './verify-batch.js'
import type { VerifyAnswer, VerifyWorkerMessage } from './verify-worker.js'

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
  /** With `inlineBackend`: a turn's first submit is verified inline while a worker idles. Default true. */
  inlineWhenIdle?: boolean
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

/** {@link VerifyPool}: worker slots, the batch being filled, and the inline fallback. */
class Pool implements VerifyPool {
  readonly #size: number
  readonly #maxBatch: number
  readonly #inlineBackend: Ed25519Backend | undefined
  readonly #inlineAfterJobs: number
  readonly #inlineWhenIdle: boolean
  readonly #slots: Slot[] = []
  readonly #settled = (count: number): void => {
    this.#pending -= count
  }
  #verifiedInline = 0
  #queued: Batch = emptyBatch()
  #flushScheduled = false
  /** This event-loop turn had its idle-inline submit (reset at the turn's end). */
  #idleTurn = false
  #nextId = 1
  #pending = 0
  #stopped = false
  #backendName: string | undefined
  #started: Promise<void> | undefined
  #respawns = 0

  constructor(options: VerifyPoolOptions) {
    this.#size = options.workers ?? 1
    if (!Number.isInteger(this.#size) || this.#size < 1) {
      throw new RangeError(`verify pool needs at least one worker (got ${this.#size})`)
    }
    this.#maxBatch = options.maxBatch ?? 64
    if (!Number.isInteger(this.#maxBatch) || this.#maxBatch < 1) {
      throw new RangeError(
        `verify pool maxBatch must be a positive integer (got ${this.#maxBatch})`,
      )
    }
    this.#inlineBackend = options.inlineBackend
    this.#inlineAfterJobs = options.inlineAfterJobs ?? 4 * this.#maxBatch
    this.#inlineWhenIdle = options.inlineWhenIdle !== false
    options.signal?.addEventListener('abort', () => void this.stop(), { once: true })
  }

  get pending(): number {
    return this.#pending
  }

  get verifiedInline(): number {
    return this.#verifiedInline
  }

  get backendName(): string | undefined {
    return this.#backendName
  }

  get respawns(): number {
    return this.#respawns
  }

  start(): Promise<void> {
    this.#started ??= Promise.all(Array.from({ length: this.#size }, () => this.#spawn())).then(
      () => undefined,
    )
    return this.#started
  }

  submit(jobs: readonly VerifyJob[], done: VerifyDone): void {
    for (const job of jobs) {
      if (job.signature.length !== 64 || job.publicKey.length !== 32) {
        throw new RangeError('verify job needs a 64-byte signature and a 32-byte public key')
      }
    }
    if (this.#stopped || jobs.length === 0) {
      done(new Array<boolean>(jobs.length).fill(false), this.#stopped)
      return
    }
    // Answers of batches finished meanwhile first, without waiting for the event loop: a thread
    // busy with one long socket read (libuv reads up to 32 full buffers in one go) would
    // otherwise hold thousands of verified messages until it got to the answer port.
    for (const slot of this.#slots) takeAnswers(slot, false, this.#settled)
    const inline = this.#inlineBackend
    if (inline !== undefined && this.#takeInline()) {
      this.#verifiedInline += jobs.length
      done(jobs.map((j) => verifyInline(inline, j)))
      return
    }
    this.#pending += jobs.length
    for (const job of jobs) this.#queued.jobs.push(job)
    this.#queued.callbacks.push({ count: jobs.length, done })
    if (this.#queued.jobs.length >= this.#maxBatch) {
      this.#flush()
    } else if (!this.#flushScheduled) {
      this.#flushScheduled = true
      setImmediate(() => this.#flush())
    }
  }

  verify(jobs: readonly VerifyJob[]): Promise<boolean[]> {
    return new Promise((resolve) => this.submit(jobs, resolve))
  }

  async stop(): Promise<void> {
    if (this.#stopped) return
    this.#stopped = true
    const batch = this.#queued
    this.#queued = emptyBatch()
    failBatch(batch, this.#settled)
    await Promise.all(this.#slots.map((s) => s.worker.terminate()))
  }

  /** Starts one worker; resolves once it loaded its backend. */
  #spawn(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const slot = newSlot(WORKER_URL)
      const worker = slot.worker
      let ready = false
      this.#slots.push(slot)
      slot.answers.on('message', (msg: VerifyAnswer) => answered(slot, msg, this.#settled))
      worker.on('message', (msg: VerifyWorkerMessage) => {
        if (!msg.ready) {
          reject(new VerifyWorkerError(`verify worker could not load @nara/crypto: ${msg.error}`))
          return
        }
        ready = true
        this.#backendName = msg.backend
        resolve()
      })
      worker.on('error', (err) => {
        reject(new VerifyWorkerError(`verify worker failed: ${err.message}`, { cause: err }))
        failInflight(slot, this.#settled)
      })
      worker.on('exit', () => this.#exited(slot, ready))
    })
  }

  #exited(slot: Slot, ready: boolean): void {
    const i = this.#slots.indexOf(slot)
    if (i >= 0) this.#slots.splice(i, 1)
    // Answers the worker posted before it died still count; the rest is lost.
    takeAnswers(slot, true, this.#settled)
    slot.answers.close()
    failInflight(slot, this.#settled)
    // Replace a worker that died after loading (one that never loaded is not retried: it would
    // fail the same way again).
    if (ready && !this.#stopped) {
      this.#spawn().then(
        () => {
          this.#respawns += 1
        },
        () => {},
      )
    }
  }

  #send(batch: Batch): void {
    const slot = leastBusy(this.#slots)
    if (slot === undefined || this.#stopped) {
      failBatch(batch, this.#settled)
      return
    }
    const buf = packBatch(batch.jobs)
    const id = this.#nextId++
    slot.inflight.set(id, batch)
    slot.outstanding += batch.jobs.length
    slot.posted += batch.jobs.length
    slot.worker.postMessage({ id, buf, count: batch.jobs.length }, [buf])
  }

  #flush(): void {
    this.#flushScheduled = false
    const batch = this.#queued
    this.#queued = emptyBatch()
    if (batch.jobs.length > 0) this.#send(batch)
  }

  /**
   * Whether the calling thread verifies this submit: the turn's first while a worker is idle and
   * nothing is queued, or every worker already holds `inlineAfterJobs` unfinished jobs (queued
   * ones included).
   */
  #takeInline(): boolean {
    const slots = this.#slots
    if (slots.length === 0) return false
    const least = leastUnfinished(slots)
    const queued = this.#queued.jobs.length
    if (this.#inlineWhenIdle && !this.#idleTurn && least === 0 && queued === 0) {
      this.#idleTurn = true
      setImmediate(() => {
        this.#idleTurn = false
      })
      return true
    }
    return least + queued / slots.length >= this.#inlineAfterJobs
  }
}

export function createVerifyPool(options: VerifyPoolOptions = {}): VerifyPool {
  return new Pool(options)
}
