/**
 * A batch of the verify pool (`verify-pool.ts`): the jobs submitted in one event-loop turn, with
 * the callback of each submit, packed into one transferable buffer for a worker
 * (`u32 length | message | signature 64 | key 32` per job, the format `verify-worker.ts` reads)
 * and answered with one byte per job, on a port of the worker's own; and the pool's worker slots.
 */
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads'
import type { Ed25519Backend } from '@nara/crypto'
import type { VerifyJob } from './verify-pool.js'
import type { VerifyAnswer, VerifyWorkerData } from './verify-worker.js'

/** Called with one boolean per job; `lost` when the checks never ran. */
export type VerifyDone = (results: boolean[], lost?: boolean) => void

export interface Batch {
  readonly jobs: VerifyJob[]
  readonly callbacks: Array<{ readonly count: number; readonly done: VerifyDone }>
}

export const emptyBatch = (): Batch => ({ jobs: [], callbacks: [] })

/**
 * Answers a batch whose checks never ran: all false, flagged lost. `settled(count)` runs before
 * each callback (the pool's pending count).
 */
export function failBatch(batch: Batch, settled: (count: number) => void): void {
  for (const cb of batch.callbacks) {
    settled(cb.count)
    cb.done(new Array<boolean>(cb.count).fill(false), true)
  }
}

/** Hands each callback its slice of a worker's answer (one byte per job, 1 = valid). */
export function answerBatch(batch: Batch, out: Uint8Array, settled: (count: number) => void): void {
  let at = 0
  for (const cb of batch.callbacks) {
    const results = new Array<boolean>(cb.count)
    for (let i = 0; i < cb.count; i++) results[i] = out[at + i] === 1
    at += cb.count
    settled(cb.count)
    try {
      cb.done(results)
    } catch (error) {
      // Not another submit's failure (answers are also taken inside submits): thrown on its own.
      queueMicrotask(() => {
        throw error
      })
    }
  }
}

/** Packs the jobs into one transferable buffer. */
export function packBatch(jobs: readonly VerifyJob[]): ArrayBuffer {
  let total = 0
  for (const job of jobs) total += 4 + job.message.length + 96
  const buf = new ArrayBuffer(total)
  const bytes = new Uint8Array(buf)
  const view = new DataView(buf)
  let o = 0
  for (const job of jobs) {
    view.setUint32(o, job.message.length)
    o += 4
    bytes.set(job.message, o)
    o += job.message.length
    bytes.set(job.signature.subarray(0, 64), o)
    o += 64
    bytes.set(job.publicKey.subarray(0, 32), o)
    o += 32
  }
  return buf
}

/** One check on the calling thread; a throwing backend is a failed check. */
export function verifyInline(backend: Ed25519Backend, job: VerifyJob): boolean {
  try {
    return backend.verify(job.signature, job.message, job.publicKey)
  } catch {
    return false
  }
}

/** A worker of the pool and what it holds. */
export interface Slot {
  worker: Worker
  /** Where the worker posts its answers (one per batch, in the order the batches were sent). */
  answers: MessagePort
  /** Batches sent and not answered, oldest first (the worker answers them in this order). */
  inflight: Map<number, Batch>
  /** Jobs posted and not yet answered. */
  outstanding: number
  /** Jobs ever posted to this worker. */
  posted: number
  /** Jobs ever answered (their batch's answer handled). */
  answered: number
  /** [0]: jobs this worker has finished (written by the worker). */
  progress: Int32Array
}

/** Jobs a worker has been given and not finished yet (its answer may still be on the way). */
export const unfinished = (slot: Slot): number =>
  // The progress word wraps at 2^31 jobs: differences taken modulo 2^32.
  (slot.posted - Atomics.load(slot.progress, 0)) | 0

/** The fewest unfinished jobs of any worker in `slots` (at least one). */
export function leastUnfinished(slots: readonly Slot[]): number {
  let least = Number.POSITIVE_INFINITY
  for (const s of slots) least = Math.min(least, unfinished(s))
  return least
}

/** The worker with the fewest unfinished jobs, or undefined when there is none. */
export function leastBusy(slots: readonly Slot[]): Slot | undefined {
  let slot: Slot | undefined
  for (const s of slots) if (slot === undefined || unfinished(s) < unfinished(slot)) slot = s
  return slot
}

/** `slot`'s answer to one of its batches: each callback gets its slice. */
export function answered(slot: Slot, msg: VerifyAnswer, settled: (count: number) => void): void {
  const batch = slot.inflight.get(msg.id)
  if (batch === undefined) return
  slot.inflight.delete(msg.id)
  slot.outstanding -= batch.jobs.length
  slot.answered += batch.jobs.length
  answerBatch(batch, msg.out, settled)
}

/**
 * Takes the answers `slot`'s worker has posted, now, from its port (no event-loop turn): while
 * its oldest batch is finished by the progress word, or all of them (`all`).
 */
export function takeAnswers(slot: Slot, all: boolean, settled: (count: number) => void): void {
  while (all || oldestFinished(slot)) {
    const got = receiveMessageOnPort(slot.answers)
    if (got === undefined) return
    answered(slot, got.message as VerifyAnswer, settled)
  }
}

/** Answers every batch in flight on `slot` as lost. */
export function failInflight(slot: Slot, settled: (count: number) => void): void {
  for (const batch of slot.inflight.values()) failBatch(batch, settled)
  slot.inflight.clear()
  slot.outstanding = 0
}

/**
 * Whether the oldest batch in flight is finished (by the progress word) and its answer not yet
 * handled: its answer is posted, or about to be.
 */
function oldestFinished(slot: Slot): boolean {
  const done = (Atomics.load(slot.progress, 0) - slot.answered) | 0
  if (done <= 0) return false
  for (const batch of slot.inflight.values()) return done >= batch.jobs.length
  return false
}

/** A fresh worker (the module at `url`) and its empty slot. */
export function newSlot(url: URL): Slot {
  const progress = new SharedArrayBuffer(4)
  const { port1, port2 } = new MessageChannel()
  const workerData: VerifyWorkerData = { progress, answers: port2 }
  const worker = new Worker(url, { workerData, transferList: [port2] })
  return {
    worker,
    answers: port1,
    inflight: new Map(),
    outstanding: 0,
    posted: 0,
    answered: 0,
    progress: new Int32Array(progress),
  }
}
