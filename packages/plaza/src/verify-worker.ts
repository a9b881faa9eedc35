/**
 * The verify pool's worker thread (see `verify-pool.ts`), a module of its own: compiled by tsc
 * with the package and loaded by URL. It loads `@nara/crypto`'s fastest backend, then answers
 * each batch (one transferable buffer of `u32 length | message | signature 64 | key 32` records)
 * with one byte per job, counting finished jobs in the shared `progress` word as it goes.
 */
import { type MessagePort, parentPort, workerData } from 'node:worker_threads'
import { fastestBackend } from '@nara/crypto'

/** A batch from the pool. */
export interface VerifyBatchMessage {
  readonly id: number
  readonly buf: ArrayBuffer
  readonly count: number
}

/** What the worker posts to its parent: its load result, once. */
export type VerifyWorkerMessage =
  | { readonly ready: true; readonly backend: string }
  | { readonly ready: false; readonly error: string }

/** What the worker posts on its answer port: one answer per batch, in the order received. */
export interface VerifyAnswer {
  readonly id: number
  readonly out: Uint8Array
}

/** Data the pool starts the worker with. */
export interface VerifyWorkerData {
  /** One Int32 word: jobs finished by this worker. */
  readonly progress: SharedArrayBuffer
  /**
   * The port answers go to: the pool can take them synchronously (`receiveMessageOnPort`) while
   * its thread is busy, instead of waiting for its event loop.
   */
  readonly answers: MessagePort
}

/** Verifies every record of `msg.buf`; one byte per job (1 = valid). */
function verifyBatch(
  backend: ReturnType<typeof fastestBackend>,
  msg: VerifyBatchMessage,
  progress: Int32Array,
): Uint8Array {
  const bytes = new Uint8Array(msg.buf)
  const view = new DataView(msg.buf)
  const out = new Uint8Array(msg.count)
  let o = 0
  for (let i = 0; i < msg.count; i++) {
    const len = view.getUint32(o)
    o += 4
    const message = bytes.subarray(o, o + len)
    o += len
    const signature = bytes.subarray(o, o + 64)
    o += 64
    const publicKey = bytes.subarray(o, o + 32)
    o += 32
    let ok = false
    try {
      ok = backend.verify(signature, message, publicKey)
    } catch {
      ok = false
    }
    out[i] = ok ? 1 : 0
    Atomics.add(progress, 0, 1)
  }
  return out
}

function main(): void {
  const port = parentPort
  if (port === null) return
  const data = workerData as VerifyWorkerData
  const progress = new Int32Array(data.progress)
  let backend: ReturnType<typeof fastestBackend>
  try {
    backend = fastestBackend()
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err)
    port.postMessage({ ready: false, error } satisfies VerifyWorkerMessage)
    return
  }
  const answers = data.answers
  port.on('message', (msg: VerifyBatchMessage) => {
    const out = verifyBatch(backend, msg, progress)
    answers.postMessage({ id: msg.id, out } satisfies VerifyAnswer, [out.buffer as ArrayBuffer])
  })
  port.postMessage({ ready: true, backend: backend.name } satisfies VerifyWorkerMessage)
}

main()
