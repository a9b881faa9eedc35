/**
 * Howdys heard on the plaza (WIRE.md §6.3): every one feeds the howdy self-selection and is
 * presence evidence for its sender; one addressed to this nara also brings its neighbours.
 */
import type { HowdyEvent } from '@nara/protocol'
import type { AgentContext, On } from './agent-context.js'
import type { HowdyCoordinator } from './howdy-coordinator.js'

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
  const { identity: id, table, metrics, buzz, log } = ctx
  on('howdy', ({ message: h }) => {
    metrics.messageIn('howdy')
    if (h.From === id.name) return
    howdy.onHowdy({ from: h.From, to: h.To, neighbours: neighbourNames(h) })
    table.observe(h.From, 'howdy', { status: h.Me })
    buzz.bump(1)
    if (h.To !== id.name) return
    for (const nb of h.Neighbors ?? []) {
      table.learnHearsay(nb.Name, {
        publicKey: nb.PublicKey,
        naraId: nb.ID,
        observation: nb.Observation,
      })
    }
    log.info(
      { from: h.From, seq: h.Seq, neighbours: h.Neighbors?.length ?? 0 },
      'welcomed with a howdy',
    )
  })
}
