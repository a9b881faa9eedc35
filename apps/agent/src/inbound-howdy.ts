/**
 * Howdys heard on the plaza (WIRE.md §6.3). Every verified howdy feeds the howdy self-selection
 * (which counts only senders with standing). A howdy's signed text `howdy:{From}:{To}:{Seq}`
 * carries no time, so a howdy is presence evidence for its sender only here, at its `To`, within
 * the howdy window after our own hey_there, and never as a restart (it refreshes a nara we see
 * ONLINE, or introduces a new one; it does not bring back a MISSING or OFFLINE one). A howdy to
 * someone else is evidence of nothing for us: it could be a replay. A replayed howdy can thus make
 * a silent nara look ONLINE only to its `To`, right after `To`'s hey_there, for at most one
 * missing threshold. The `Neighbors` of a howdy to us are hearsay (unsigned), never ONLINE.
 */
import type { HowdyEvent } from '@nara/protocol'
import type { AgentContext, On } from './agent-context.js'
import type { HowdyCoordinator } from './howdy-coordinator.js'

/** How long after our own hey_there a howdy to us counts (the plaza's howdy window), ms. */
export const HOWDY_WINDOW_MS = 30_000

/**
 * The names a howdy lists in `Neighbors`, computed once per decoded howdy: the naras of a town
 * share the decoded object, and every one of them reads the list.
 */
const namesOfHowdy = new WeakMap<object, readonly string[]>()
function neighbourNames(h: HowdyEvent): readonly string[] {
  const known = namesOfHowdy.get(h)
  if (known !== undefined) return known
  const names: readonly string[] = Object.freeze((h.Neighbors ?? []).map((x) => x.Name))
  namesOfHowdy.set(h, names)
  return names
}

export function onHowdy(ctx: AgentContext, howdy: HowdyCoordinator, on: On): void {
  const { identity: id, table, metrics, buzz, log, clock, plaza } = ctx
  /** When our last hey_there went out (undefined: none yet). */
  let heyThereAtMs: number | undefined
  on('published', ({ topic }) => {
    if (topic === 'hey_there') heyThereAtMs = clock.now()
  })
  const inOwnWindow = () =>
    heyThereAtMs !== undefined && clock.now() - heyThereAtMs <= HOWDY_WINDOW_MS
  on('howdy', ({ message: h }) => {
    metrics.messageIn('howdy')
    if (h.From === id.name) return
    howdy.onHowdy({ from: h.From, to: h.To, neighbours: neighbourNames(h) })
    buzz.bump(1)
    if (h.To !== id.name || !inOwnWindow()) return
    // `Me` is not covered by the signature: it never replaces a status we already hold.
    const fresh = table.observe(h.From, 'howdy', {
      status: table.peek(h.From)?.status === undefined ? h.Me : undefined,
      standing: plaza.hasStanding(h.From),
      refreshOnly: true,
    })
    if (!fresh) return
    for (const nb of h.Neighbors ?? []) {
      table.learnHearsay(nb.Name, { publicKey: nb.PublicKey, naraId: nb.ID })
    }
    log.info(
      { from: h.From, seq: String(h.Seq), neighbours: h.Neighbors?.length ?? 0 },
      'welcomed with a howdy',
    )
  })
}
