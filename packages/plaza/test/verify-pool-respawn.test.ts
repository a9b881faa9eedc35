/**
 * A verify worker that dies: its unanswered checks are LOST (the pipeline drops those messages as
 * `internal-error`, never `bad-signature`, never delivers them unverified) and the pool starts a
 * fresh worker. The test reaches the worker threads by wrapping `Worker` (module mock).
 */
import type * as WorkerThreads from 'node:worker_threads'
import { buildSocial, fastestBackend, keypairFromSoul, parseSoul } from '@nara/crypto'
import { encodeSyncEvent, type SyncEvent, TOPICS } from '@nara/protocol'
import { describe, expect, it, vi } from 'vitest'
import { createVerifyPool } from '../src/verify-pool.js'
import { SOULS, testPipeline } from './helpers.js'

const workers = vi.hoisted(() => [] as Array<{ terminate(): Promise<number> }>)

vi.mock('node:worker_threads', async (importOriginal) => {
  const original = await importOriginal<typeof WorkerThreads>()
  class RecordedWorker extends original.Worker {
    constructor(...args: ConstructorParameters<typeof original.Worker>) {
      super(...args)
      workers.push(this)
    }
  }
  return { ...original, Worker: RecordedWorker }
})

const backend = fastestBackend()
const alice = keypairFromSoul(parseSoul(SOULS.alice))
const enc = new TextEncoder()

const until = (condition: () => boolean): Promise<void> =>
  new Promise((resolve) => {
    const poll = () => (condition() ? resolve() : setImmediate(poll))
    poll()
  })

describe('verify pool with a dying worker', () => {
  it('jobs lost to a dead verify worker are internal-error drops, never bad-signature or delivered, and the worker is respawned', async () => {
    const pool = createVerifyPool({ workers: 1, maxBatch: 8 })
    await pool.start()
    try {
      expect(workers).toHaveLength(1)
      const { clock, counters, keyring, delivered, pipeline } = testPipeline({ backend, pool })
      keyring.pin({ name: 'alice', publicKey: alice.publicKey })
      const now = BigInt(clock.now()) * 1_000_000n
      const social = (i: number) =>
        enc.encode(
          encodeSyncEvent(
            buildSocial(
              {
                type: 'tease',
                actor: 'alice',
                target: 'bob',
                reason: `r${i}`,
                tsNs: now + BigInt(i),
              },
              { name: 'alice', seed: alice.seed },
            ) as SyncEvent,
          ),
        )
      // The worker is killed, then a full batch of 8 genuine events is posted to it (maxBatch:
      // posted at once) before its exit is noticed: mid-batch, none of them can be answered.
      void workers[0]?.terminate()
      for (let i = 0; i < 8; i++) pipeline.handle(TOPICS.social, social(i))
      await until(() => pool.pending === 0 && pool.respawns === 1)
      expect(delivered).toHaveLength(0)
      expect(counters.snapshot().dropped).toEqual({ 'internal-error': 8 })
      expect(workers).toHaveLength(2)

      // The fresh worker verifies: the same events again are delivered.
      for (let i = 0; i < 8; i++) pipeline.handle(TOPICS.social, social(i))
      await until(() => pool.pending === 0)
      expect(delivered).toHaveLength(8)
      expect(counters.snapshot().dropped).toEqual({ 'internal-error': 8 })
    } finally {
      await pool.stop()
    }
    // A stopped pool is not respawned, and what it still held is lost, not bad.
    const answers: Array<{ results: boolean[]; lost: boolean | undefined }> = []
    pool.submit([], (results, lost) => answers.push({ results, lost }))
    expect(answers).toEqual([{ results: [], lost: true }])
    expect(pool.respawns).toBe(1)
  })
})
