/**
 * The howdy this nara answers a newcomer with (WIRE.md §6.3), size-bounded so that answering can
 * never amplify: at most {@link HOWDY_NEIGHBOURS_MAX} `Neighbors` (verified ones only, never
 * hearsay), at most {@link HOWDY_OBSERVATIONS_MAX} entries in `Me.Observations` (the most
 * recently seen), and at most `maxBytes` encoded: observations, then neighbours, are dropped
 * until it fits. Go puts its whole observation map in every howdy (344 KB at 3,800 names).
 */
import { encodeHowdy, type HowdyEvent, type NaraObservation } from '@nara/protocol'
import type { AgentContext } from './agent-context.js'
import type { HowdyReply } from './howdy-coordinator.js'
import { selectNeighbours } from './howdy-coordinator.js'
import type { Neighbour } from './neighbourhood.js'
import type { HowdyDraft } from './plaza-port.js'

export const HOWDY_NEIGHBOURS_MAX = 10
export const HOWDY_OBSERVATIONS_MAX = 20
/** Default byte bound of an own howdy, as encoded (a typical full one is 5-7 KB). */
export const HOWDY_MAX_BYTES = 8192

/** Placeholder for the signature the speaker adds (base64 of 64 bytes). */
const SIGNATURE_CHARS = 88

/** The encoded size of `draft` once signed by `from`. */
export function howdyBytes(from: string, draft: HowdyDraft): number {
  const event = {
    From: from,
    To: draft.To,
    Seq: draft.Seq,
    You: draft.You,
    Neighbors: draft.Neighbors,
    Me: { ...draft.Me, Observations: draft.Me.Observations ?? {} },
    Signature: 'x'.repeat(SIGNATURE_CHARS),
  } as HowdyEvent
  return Buffer.byteLength(encodeHowdy(event))
}

/**
 * Trims `draft` until its encoding fits `maxBytes`: the last `Me.Observations` entries first
 * (the map lists the most recently seen first), then the last neighbours. A draft that does not
 * fit even empty is returned empty of both.
 */
export function boundHowdy(from: string, draft: HowdyDraft, maxBytes: number): HowdyDraft {
  const observations = Object.entries(draft.Me.Observations ?? {})
  const neighbours = [...(draft.Neighbors ?? [])]
  const build = (): HowdyDraft => ({
    ...draft,
    Neighbors: neighbours.length > 0 ? [...neighbours] : null,
    Me: { ...draft.Me, Observations: Object.fromEntries(observations) },
  })
  let out = build()
  while (howdyBytes(from, out) > maxBytes) {
    if (observations.length > 0) observations.pop()
    else if (neighbours.length > 0) neighbours.pop()
    else break
    out = build()
  }
  return out
}

/**
 * The rows a howdy's `Neighbors` may name, read without a snapshot of the table (in a town every
 * nara answers from its own table, and a join draws about ten answers).
 */
function candidates(table: AgentContext['table'], reply: HowdyReply): Candidate[] {
  const out: Candidate[] = []
  table.each((row, state) => {
    if (state === 'hearsay' || row.name === reply.to || reply.mentioned.has(row.name)) return
    const { name, lastSeenMs, publicKey, naraId } = row
    out.push({ name, state, lastSeenMs, publicKey, naraId })
  })
  return out
}

type Candidate = Pick<Neighbour, 'name' | 'state' | 'lastSeenMs' | 'publicKey' | 'naraId'>

/** The bounded howdy answering `reply`, from this nara's table and own status. */
export function howdyAnswer(ctx: AgentContext, reply: HowdyReply, maxBytes: number): HowdyDraft {
  const { table } = ctx
  const picked = selectNeighbours(
    candidates(table, reply),
    reply.to,
    reply.mentioned,
    HOWDY_NEIGHBOURS_MAX,
  )
  const draft: HowdyDraft = {
    To: reply.to,
    Seq: reply.seq,
    You: table.observationOf(reply.to) as NaraObservation,
    Neighbors:
      picked.length > 0
        ? picked.map((n) => ({
            Name: n.name,
            PublicKey: n.publicKey ?? '',
            MeshIP: '',
            ID: n.naraId ?? '',
            Observation: table.observationOf(n.name) as NaraObservation,
          }))
        : null,
    Me: ctx.own.status(true),
  }
  return boundHowdy(ctx.identity.name, draft, maxBytes)
}
