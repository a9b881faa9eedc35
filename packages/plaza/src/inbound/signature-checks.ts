/**
 * The signature checks of admitted messages: inline with the fastest backend, or batched in the
 * verify pool with a bounded backlog. A throwing check counts as invalid; a check lost with a
 * dead worker is reported as lost, never as a verdict.
 */
import type { Ed25519Backend, SignatureCheck } from '@nara/crypto'
import type { Counters } from '../counters.js'
import type { VerifyPool } from '../verify-pool.js'

/** Called with one boolean per check; `lost`: the checks could not run (never a verdict). */
export type ChecksDone = (results: readonly boolean[], lost: boolean) => void

/** The answers of a lone check (most messages carry one), shared rather than made per message. */
const VALID: readonly boolean[] = Object.freeze([true])
const INVALID: readonly boolean[] = Object.freeze([false])

/** Runs signature checks and counts them (`verifications`, `verifyMs`). */
export class SignatureChecks {
  readonly #backend: Ed25519Backend
  readonly #pool: VerifyPool | undefined
  readonly #maxPending: number
  readonly #counters: Counters
  #pending = 0

  constructor(
    backend: Ed25519Backend,
    pool: VerifyPool | undefined,
    maxPending: number,
    counters: Counters,
  ) {
    this.#backend = backend
    this.#pool = pool
    this.#maxPending = maxPending
    this.#counters = counters
  }

  /** True when checks run on this thread, synchronously ({@link SignatureChecks.inline}). */
  get isInline(): boolean {
    return this.#pool === undefined
  }

  /** Runs `checks` now, on this thread. */
  inline(checks: readonly SignatureCheck[]): readonly boolean[] {
    const started = performance.now()
    const backend = this.#backend
    if (checks.length === 1) {
      const ok = verifyOne(backend, checks[0] as SignatureCheck)
      this.#counters.verified(1, performance.now() - started)
      return ok ? VALID : INVALID
    }
    const results = new Array<boolean>(checks.length)
    for (let i = 0; i < checks.length; i++) {
      results[i] = verifyOne(backend, checks[i] as SignatureCheck)
    }
    this.#counters.verified(checks.length, performance.now() - started)
    return results
  }

  /** Submits `checks` to the pool; false (nothing submitted) when the backlog is full. */
  submit(checks: readonly SignatureCheck[], done: ChecksDone): boolean {
    const pool = this.#pool
    const n = checks.length
    if (pool === undefined || this.#pending + n > this.#maxPending) return false
    this.#pending += n
    const started = performance.now()
    pool.submit(checks, (results, lost) => {
      this.#pending -= n
      this.#counters.verified(n, performance.now() - started)
      done(results, lost === true)
    })
    return true
  }
}

/** One check; a throwing backend is an invalid signature. */
function verifyOne(backend: Ed25519Backend, c: SignatureCheck): boolean {
  try {
    return backend.verify(c.signature, c.message, c.publicKey)
  } catch {
    return false
  }
}
