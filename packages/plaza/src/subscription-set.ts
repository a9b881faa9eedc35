import { ledgerRequestTopic, ledgerResponseTopic, subscriptionTopics } from '@nara/protocol'

/** The topics a receiver subscribes to on every connect. */
export interface SubscriptionSet {
  /** Every plaza topic (WIRE.md §1.3 order, with the own nara's ledger topics), then the added naras'. */
  topics(): string[]
  /** Adds a nara's ledger request/response topics; returns the topics new to the set, and a remover. */
  add(name: string): { added: string[]; remove: () => void }
}

/** `ownName` undefined: a town's receiver (no ledger topics but the added naras'). */
export function createSubscriptionSet(ownName: string | undefined): SubscriptionSet {
  const base =
    ownName === undefined
      ? subscriptionTopics('x').filter((t) => !t.startsWith('nara/ledger/'))
      : subscriptionTopics(ownName)
  const naras = new Map<string, number>()
  const ledger = (name: string) => [ledgerRequestTopic(name), ledgerResponseTopic(name)]
  return {
    topics: () => [...new Set([...base, ...[...naras.keys()].flatMap(ledger)])],
    add(name) {
      const count = naras.get(name) ?? 0
      naras.set(name, count + 1)
      const added = count === 0 && name !== ownName ? ledger(name) : []
      return {
        added,
        remove: () => {
          const n = (naras.get(name) ?? 1) - 1
          if (n <= 0) naras.delete(name)
          else naras.set(name, n)
        },
      }
    },
  }
}
