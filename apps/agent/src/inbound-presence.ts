/**
 * Presence evidence from the plaza (WIRE.md §6.1-§6.4): a hey_there (a nara joined, or
 * re-announced), a chau (it left), a newspaper (it is still here, and how it is doing).
 */
import type { AgentContext, On } from './agent-context.js'
import type { HowdyCoordinator } from './howdy-coordinator.js'
import { isGoStatus } from './presence-keeper.js'

/** Creation time of a SyncEvent (`ts`, ns) in ms. */
const eventTimeMs = (tsNs: bigint) => Number(tsNs / 1_000_000n)

export function onPresence(ctx: AgentContext, howdy: HowdyCoordinator, on: On): void {
  const { identity: id, table, metrics, buzz, log, plaza } = ctx
  on('hey_there', ({ message }) => {
    const ht = message.hey_there
    metrics.messageIn('hey_there')
    if (!ht || ht.From === id.name) return
    // A howdy or a newspaper may come before a nara's first hey_there: that is still its join.
    const again = table.peek(ht.From)?.lastHeyThereMs !== undefined
    const ok = table.observe(ht.From, 'hey_there', {
      eventTimeMs: eventTimeMs(message.ts),
      publicKey: ht.PublicKey,
      naraId: ht.ID,
      standing: plaza.hasStanding(ht.From),
    })
    if (!ok) return
    buzz.bump(1)
    log.info({ peer: ht.From }, again ? 'hey_there again' : 'a nara joined')
    howdy.onHeyThere(ht.From, message.id)
  })
  on('chau', ({ message }) => {
    const c = message.chau
    metrics.messageIn('chau')
    if (!c || c.From === id.name) return
    const details = {
      eventTimeMs: eventTimeMs(message.ts),
      publicKey: c.PublicKey,
      naraId: c.ID,
      standing: plaza.hasStanding(c.From),
    }
    if (!table.chau(c.From, details)) return
    buzz.bump(2)
    log.info({ peer: c.From }, 'a nara said chau')
  })
  on('newspaper', ({ from, status, nameProof, senderId }) => {
    metrics.messageIn('newspaper')
    if (from === id.name) return
    const isNew = table.peek(from) === undefined
    // Status.ID is unsigned: only the NaraID the plaza bound to the key is taken (none for a
    // topic-only name, whose newspaper still counts as presence evidence for that topic).
    const standing = plaza.hasStanding(from)
    table.observe(
      from,
      'newspaper',
      nameProof === undefined
        ? { status, standing }
        : { status, statusIdBound: false, naraId: senderId, standing },
    )
    if (isNew)
      log.info({ peer: from, go: isGoStatus(status), nameProof }, 'first newspaper from a nara')
    else log.debug({ peer: from }, 'newspaper')
  })
}
