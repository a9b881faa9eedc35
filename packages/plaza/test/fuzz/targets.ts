/**
 * The two things every fuzz input goes through, and the corpus they start from:
 *
 * - **decode + verify**: `@nara/protocol`'s `decodeMessage` (or `decodeSyncEvent` for the
 *   gossip-only kinds), then every helper of the kind in `@nara/crypto`'s `KINDS` table (sender,
 *   IDs, time, replay key, summary) and its verification plan against a key lookup of the vector
 *   identities (reduced where the vector says so), as `nara verify` does;
 * - **the inbound pipeline**: `createInboundPipeline`, wired as the receiver wires it (through
 *   `testPipeline` of `test/helpers.ts`), fed by `handle(topic, payload)`, with a keyring pinning the
 *   same identities, freshness off (the vectors carry fixed times), no rate limits, no howdy
 *   hey_there requirement: the widest door. A pipeline is replaced once it delivers, so every
 *   input meets a pipeline that has not seen (nor deduplicated) its original.
 */
import {
  createKeyLookup,
  type KeyLookup,
  kindOf,
  planDecoded,
  runPlan,
  type Verdict,
} from '@nara/crypto'
import type { Ed25519Backend } from '@nara/crypto/backends'
import { type DecodeResult, decodeMessage, decodeSyncEvent } from '@nara/protocol'
import { messageVectors, receiverIdentities } from '@nara/vitest-config/vectors'
import { createKeyring, type Keyring, type PlazaEvent } from '../../src/index.js'
import { testPipeline } from '../helpers.js'
import { type SignedContent, signedContent } from './signed-content.js'

/** One original payload of the corpus. */
export interface FuzzCase {
  /** `kind/name` of the vector. */
  readonly id: string
  readonly kind: string
  /** The plaza topic, or `null` for gossip-only SyncEvents (ping, observation, seen). */
  readonly topic: string | null
  /** The exact payload text. */
  readonly text: string
  /** The keys its receiver knows. */
  readonly keys: KeyLookup
  /** The same identities as plaza pins. */
  readonly pins: ReadonlyArray<{ name: string; naraId: string; publicKey: string }>
}

/** Every message vector of `plaza-vectors.json`, accepted and rejected ones alike. */
export function loadCorpus(): FuzzCase[] {
  return messageVectors().map((v) => {
    const ids = receiverIdentities(v.kind, v.name)
    const keys = createKeyLookup(
      ids.map((i) => ({
        name: i.name,
        id: i.nara_id,
        publicKey: new Uint8Array(Buffer.from(i.public_key_base64, 'base64')),
      })),
    )
    const pins = ids.map((i) => ({
      name: i.name,
      naraId: i.nara_id,
      publicKey: i.public_key_base64,
    }))
    return {
      id: `${v.kind}/${v.name}`,
      kind: v.kind,
      topic: v.transport.topic,
      text: v.payload_utf8,
      keys,
      pins,
    }
  })
}

/** The verdict of decode + verify, and the signed content when accepted. */
export interface CryptoOutcome {
  readonly decoded: DecodeResult
  readonly verdict: Verdict
  readonly content?: SignedContent | undefined
}

/** decode + every kind helper + verify, as `nara verify` does. Throws only on a bug. */
export function decodeAndVerify(
  c: FuzzCase,
  bytes: Uint8Array,
  backend: Ed25519Backend,
): CryptoOutcome {
  const decoded = c.topic === null ? decodeSyncEvent(bytes) : decodeMessage(c.topic, bytes)
  if (decoded.ok) {
    const kind = kindOf(decoded.kind)
    if (kind !== undefined) {
      const d = decoded as never
      kind.sender(d)
      kind.ids(d)
      kind.timeNs(d)
      kind.replayKey(d)
      kind.summary(d)
    }
  }
  const verdict = runPlan(planDecoded(decoded, c.keys, { backend }), backend)
  if (verdict.verdict !== 'accept' || !decoded.ok) return { decoded, verdict }
  return { decoded, verdict, content: signedContent(decoded, c.keys, backend) }
}

/** What one input did in the pipeline. */
export interface PipelineOutcome {
  readonly delivered: readonly PlazaEvent[]
  /** Messages the pipeline caught as a bug (`internal-error` drops and error log lines). */
  readonly internalErrors: readonly string[]
  /** The keyring the events were judged against. */
  readonly keyring: Keyring
}

interface Station {
  readonly handle: (topic: string, payload: Uint8Array) => void
  readonly delivered: PlazaEvent[]
  readonly errors: string[]
  readonly keyring: Keyring
}

/** One pipeline per corpus case, replaced after it delivers anything. */
export class PipelineTarget {
  readonly #stations = new Map<string, Station>()
  readonly #backend: Ed25519Backend

  constructor(backend: Ed25519Backend) {
    this.#backend = backend
  }

  #station(c: FuzzCase): Station {
    const existing = this.#stations.get(c.id)
    if (existing !== undefined) return existing
    const keyring = createKeyring()
    for (const p of c.pins) keyring.pin(p)
    const errors: string[] = []
    const note = (fields: object, msg: string) => errors.push(`${msg} ${JSON.stringify(fields)}`)
    const logger = { debug() {}, info() {}, warn() {}, error: note }
    const { pipeline, delivered } = testPipeline({
      me: 'fuzz-receiver',
      keyring,
      logger,
      maxPayloadBytes: 64 * 1024,
      freshnessWindowMs: Number.POSITIVE_INFINITY,
      howdyNeedsHeyThere: false,
      dedupeSize: 1000,
      backend: this.#backend,
      onDrop: (d) => {
        if (d.reason === 'internal-error') errors.push(`internal-error drop: ${d.detail ?? ''}`)
      },
    })
    const station = {
      handle: (t: string, p: Uint8Array) => pipeline.handle(t, p),
      delivered,
      errors,
      keyring,
    }
    this.#stations.set(c.id, station)
    return station
  }

  /** Feeds one message on `topic`; never throws unless the pipeline does (an escape). */
  run(c: FuzzCase, topic: string, bytes: Uint8Array): PipelineOutcome {
    const s = this.#station(c)
    s.handle(topic, bytes)
    const outcome = {
      delivered: [...s.delivered],
      internalErrors: [...s.errors],
      keyring: s.keyring,
    }
    if (s.delivered.length > 0 || s.errors.length > 0) this.#stations.delete(c.id)
    return outcome
  }
}
