import { buildSocial, fastestBackend, keypairFromSoul, parseSoul } from '@nara/crypto'
import { encodeSyncEvent, type SyncEvent, TOPICS } from '@nara/protocol'
import { afterEach, describe, expect, it } from 'vitest'
import { createVerifyPool, type VerifyJob, type VerifyPool } from '../src/verify-pool.js'
import { heyThereBytes, howdyBytes, identity, socialBytes } from './compliance/wire-fixtures.js'
import { SOULS, testPipeline } from './helpers.js'

const backend = fastestBackend()
const alice = keypairFromSoul(parseSoul(SOULS.alice))
const mallory = keypairFromSoul(parseSoul(SOULS.mallory))
const enc = new TextEncoder()

/** `n` jobs over distinct messages; the ones at `bad` are signed by mallory (wrong key). */
function jobs(n: number, bad: ReadonlySet<number>): VerifyJob[] {
  return Array.from({ length: n }, (_, i) => {
    const message = enc.encode(`message ${i} ${'x'.repeat(i % 40)}`)
    const seed = bad.has(i) ? mallory.seed : alice.seed
    return { message, signature: backend.sign(message, seed), publicKey: alice.publicKey }
  })
}

/** `n` socials by alice (reasons `r0`, `r1`, ...) from `nowNs` on; those at `forgedAt` signed by mallory. */
function burst(n: number, forgedAt: ReadonlySet<number>, nowNs: bigint): Uint8Array[] {
  return Array.from({ length: n }, (_, i) => {
    const seed = forgedAt.has(i) ? mallory.seed : alice.seed
    const ev = buildSocial(
      { type: 'tease', actor: 'alice', target: 'bob', reason: `r${i}`, tsNs: nowNs + BigInt(i) },
      { name: 'alice', seed },
    )
    return enc.encode(encodeSyncEvent(ev as SyncEvent))
  })
}

const expected = (n: number, bad: ReadonlySet<number>) =>
  Array.from({ length: n }, (_, i) => !bad.has(i))

describe('verify pool', () => {
  const pools: VerifyPool[] = []
  afterEach(async () => {
    await Promise.all(pools.splice(0).map((p) => p.stop()))
  })

  const started = async (options: Parameters<typeof createVerifyPool>[0]) => {
    const pool = createVerifyPool(options)
    pools.push(pool)
    await pool.start()
    return pool
  }

  it('maps each batch result back to its job: a bad signature in the middle of a batch', async () => {
    const pool = await started({ workers: 1, maxBatch: 8 })
    const bad = new Set([3, 8, 13])
    const all = jobs(16, bad)
    // Many submits in one turn share batches of 8; each caller gets its own slice, in order.
    const answers = await Promise.all([
      pool.verify(all.slice(0, 5)),
      pool.verify(all.slice(5, 6)),
      pool.verify(all.slice(6, 16)),
    ])
    expect(answers.flat()).toEqual(expected(16, bad))
    expect(answers.map((a) => a.length)).toEqual([5, 1, 10])
    expect(pool.pending).toBe(0)
    expect(pool.verifiedInline).toBe(0)
  })

  it('spreads batches over two workers and keeps every answer with its job', async () => {
    const pool = await started({ workers: 2, maxBatch: 4 })
    const bad = new Set([0, 7, 21, 22, 39])
    const all = jobs(40, bad)
    const answers = await Promise.all(all.map((j) => pool.verify([j])))
    expect(answers.flat()).toEqual(expected(40, bad))
  })

  it('verifies on the calling thread once the workers are saturated, same answers', async () => {
    const pool = await started({
      workers: 1,
      maxBatch: 4,
      inlineBackend: backend,
      inlineAfterJobs: 4,
      inlineWhenIdle: false,
    })
    const bad = new Set([2, 9, 10, 30])
    const all = jobs(32, bad)
    const answers = await Promise.all(all.map((j) => pool.verify([j])))
    expect(answers.flat()).toEqual(expected(32, bad))
    // The first 4 fill the worker's share; the rest of this turn is verified inline.
    expect(pool.verifiedInline).toBeGreaterThan(0)
    expect(pool.verifiedInline).toBeLessThan(32)
    expect(pool.pending).toBe(0)
  })

  it('verifies a lone submit inline while the worker idles; the rest of that turn goes to it', async () => {
    const pool = await started({ workers: 1, maxBatch: 4, inlineBackend: backend })
    const bad = new Set([1, 4])
    const all = jobs(6, bad)
    const calls: string[] = []
    // First submit of the turn, worker idle, nothing queued: answered before submit returns.
    pool.submit([all[0] as VerifyJob, all[1] as VerifyJob], (r, lost) => {
      calls.push(`first ${r} ${lost === true}`)
    })
    expect(calls).toEqual(['first true,false false'])
    expect(pool.verifiedInline).toBe(2)
    // Later submits of the same turn are the worker's (not saturated: inlineAfterJobs 16).
    const later = pool.verify(all.slice(2, 5))
    expect(pool.pending).toBe(3)
    expect(await later).toEqual([true, true, false])
    expect(pool.verifiedInline).toBe(2)
    // A new turn with the worker idle again: inline once more, same verdicts.
    await new Promise((r) => setImmediate(r))
    expect(await pool.verify([all[4] as VerifyJob, all[5] as VerifyJob])).toEqual([false, true])
    expect(pool.verifiedInline).toBe(4)
    expect(pool.pending).toBe(0)
  })

  it('sends a lone submit to the worker when inlineWhenIdle is false', async () => {
    const pool = await started({ workers: 1, inlineBackend: backend, inlineWhenIdle: false })
    expect(await pool.verify(jobs(2, new Set([0])))).toEqual([false, true])
    expect(pool.verifiedInline).toBe(0)
  })

  it('hands a finished batch its answer on the next submit, while the caller never yields', async () => {
    // A thread busy with a long socket read never reaches its event loop: the answers of the
    // batches the worker finished meanwhile must still be handed out, not pile up in memory.
    const pool = await started({ workers: 1, maxBatch: 1 })
    const [first, ...more] = jobs(400, new Set([0]))
    let answer: boolean[] | undefined
    pool.submit([first as VerifyJob], (results) => {
      answer = results
    })
    const blocker = new Int32Array(new SharedArrayBuffer(4))
    let submits = 0
    // Blocks this thread (no event-loop turn) between submits, until the answer came through one.
    while (answer === undefined && submits < more.length) {
      Atomics.wait(blocker, 0, 0, 5)
      pool.submit([more[submits++] as VerifyJob], () => {})
    }
    expect(answer).toEqual([false])
    // Every batch the worker finished before the last submit was answered by it, too.
    expect(pool.pending).toBeLessThanOrEqual(2)
  })

  it('rejects a bad maxBatch and answers false for everything after stop()', async () => {
    expect(() => createVerifyPool({ maxBatch: 0 })).toThrow(RangeError)
    const pool = await started({ workers: 1 })
    await pool.stop()
    expect(await pool.verify(jobs(3, new Set()))).toEqual([false, false, false])
  })
})

describe('inbound pipeline with a saturated pool', () => {
  it('drops exactly the forged event in the middle of a burst, inline help or not', async () => {
    const pool = createVerifyPool({
      workers: 1,
      maxBatch: 8,
      inlineBackend: backend,
      inlineWhenIdle: false,
      // Queued jobs count as the worker's share: the first 4 of the burst go to the worker, the
      // other 36 are verified inline, however fast the worker thread runs.
      inlineAfterJobs: 4,
    })
    await pool.start()
    try {
      const { clock, counters, keyring, delivered, pipeline } = testPipeline({ backend, pool })
      keyring.pin({ name: 'alice', publicKey: alice.publicKey })
      const now = BigInt(clock.now()) * 1_000_000n
      // One forged event on the worker's share, three among the inline ones.
      const forgedAt = new Set([2, 5, 20, 33])
      const payloads = burst(40, forgedAt, now)
      for (const payload of payloads) pipeline.handle(TOPICS.social, payload)
      await new Promise<void>((resolve) => {
        const poll = () => (pool.pending === 0 ? resolve() : setImmediate(poll))
        poll()
      })
      expect(pool.verifiedInline).toBe(36)
      expect(counters.snapshot().dropped).toEqual({ 'bad-signature': 4 })
      const reasons = delivered
        .map((e) => (e.message as SyncEvent).social?.reason)
        .sort((a, b) => Number(a?.slice(1)) - Number(b?.slice(1)))
      expect(reasons).toEqual(
        Array.from({ length: 40 }, (_, i) => `r${i}`).filter((_, i) => !forgedAt.has(i)),
      )
    } finally {
      await pool.stop()
    }
  })
})

describe('inbound pipeline holding its inline checks to the end of the turn', () => {
  it('verifies a turn together, then finishes each message in order: forgeries and copies dropped', async () => {
    const checked: number[] = []
    const counting = {
      ...backend,
      verify(signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) {
        checked.push(delivered.length)
        return backend.verify(signature, message, publicKey)
      },
    }
    const { clock, counters, keyring, delivered, pipeline } = testPipeline({
      backend: counting,
      holdInlineChecks: true,
    })
    keyring.pin({ name: 'alice', publicKey: alice.publicKey })
    const now = BigInt(clock.now()) * 1_000_000n
    const forgedAt = new Set([1, 6])
    const payloads = burst(9, forgedAt, now)
    // The genuine r3 twice in one turn: both pass the replay lookup before either is verified.
    for (const payload of [...payloads.slice(0, 8), payloads[3] as Uint8Array]) {
      pipeline.handle(TOPICS.social, payload)
    }
    expect(delivered).toEqual([])
    await Promise.resolve()
    // Every check ran before the first message was finished.
    expect(checked).toEqual(new Array(9).fill(0))
    expect(delivered.map((e) => (e.message as SyncEvent).social?.reason)).toEqual([
      'r0',
      'r2',
      'r3',
      'r4',
      'r5',
      'r7',
    ])
    expect(counters.snapshot().dropped).toEqual({ 'bad-signature': 2, duplicate: 1 })
    // The next turn is held and finished at its end again.
    pipeline.handle(TOPICS.social, payloads[8] as Uint8Array)
    expect(delivered).toHaveLength(6)
    await Promise.resolve()
    expect(delivered.map((e) => (e.message as SyncEvent).social?.reason).at(-1)).toBe('r8')
  })

  it("finishes what other messages depend on first: a new nara's hey_there, then its social and a howdy to it", async () => {
    const { clock, counters, keyring, delivered, pipeline } = testPipeline({
      backend,
      holdInlineChecks: true,
    })
    const carol = identity('carol')
    const alicePinned = identity('alice')
    keyring.pin({ name: 'alice', publicKey: alicePinned.publicKey })
    const now = BigInt(clock.now()) * 1_000_000n
    // One turn: a held social, carol's first hey_there (pins her), her social, alice's howdy to
    // her (fresh only after carol's hey_there), another held social.
    pipeline.handle(TOPICS.social, socialBytes(alicePinned, 'before', now))
    pipeline.handle(TOPICS.heyThere, heyThereBytes(carol, now + 1n))
    pipeline.handle(TOPICS.social, socialBytes(carol, 'first words', now + 2n))
    pipeline.handle(TOPICS.howdy, howdyBytes(alicePinned, 'carol', 1))
    pipeline.handle(TOPICS.social, socialBytes(alicePinned, 'after', now + 3n))
    await Promise.resolve()
    expect(counters.snapshot().dropped).toEqual({})
    // In the order they came.
    expect(delivered.map((e) => `${e.kind}:${e.sender}`)).toEqual([
      'social:alice',
      'hey_there:carol',
      'social:carol',
      'howdy:alice',
      'social:alice',
    ])
  })
})
