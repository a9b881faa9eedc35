/**
 * Verification in two steps, so that one piece of code decides every verdict while the Ed25519
 * checks may run elsewhere (inline, or batched in worker threads by the plaza):
 *
 * 1. a `plan*` function does every check that needs no signature (shape, event ID, keyring
 *    agreement) and lists the signature checks it needs as `{ signature, message, publicKey }`
 *    triples;
 * 2. `finish(results)` turns the boolean result of each triple into the {@link Verdict}.
 *
 * {@link runPlan} does both with a backend; `verifyDecoded` is `runPlan(planDecoded(...))`.
 */
import type { Ed25519Backend } from './backends/backend.js'
import type { Verdict } from './verdict.js'

/** One Ed25519 check: `signature` (64 bytes) over `message` with `publicKey` (32 bytes). */
export interface SignatureCheck {
  readonly signature: Uint8Array
  readonly message: Uint8Array
  readonly publicKey: Uint8Array
}

/** What a message needs verified, and how the results become its verdict. */
export interface VerificationPlan<V extends Verdict = Verdict> {
  /** The signature checks to run (empty when the verdict is already decided). */
  readonly checks: readonly SignatureCheck[]
  /** The verdict, given `results[i]` = did `checks[i]` verify. */
  finish(results: readonly boolean[]): V
  /** The key the sender's signature is checked with (on accept: the key that spoke). */
  readonly publicKey?: Uint8Array
  /** True when that key came from the message and the keyring had none for the sender yet. */
  readonly firstUse?: boolean
  /** The recomputed event ID (SyncEvents). */
  readonly eventId?: string
}

/** A plan whose verdict needs no signature check. */
export function decided<V extends Verdict>(verdict: V): VerificationPlan<V> {
  return { checks: [], finish: () => verdict }
}

/** Runs the plan's checks with `backend` (a throwing check counts as `false`). */
export function runPlan<V extends Verdict>(plan: VerificationPlan<V>, backend: Ed25519Backend): V {
  return plan.finish(
    plan.checks.map((c) => {
      try {
        return backend.verify(c.signature, c.message, c.publicKey)
      } catch {
        return false
      }
    }),
  )
}
