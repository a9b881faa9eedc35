import { type BrokerAddress, parseBrokerUrl } from './broker-url.js'
import { InvalidOptionsError } from './errors.js'
import type { RandomSource } from './random.js'

/**
 * The brokers a receiver may use, in this process's order: the list is shuffled once with the
 * injected random source (Fisher-Yates), so a fleet of processes spreads over a cluster. The
 * receiver connects to {@link BrokerList.current}; each failure moves it to the next, round and
 * round.
 */
export interface BrokerList {
  /** Every broker, in this process's order. */
  readonly addresses: readonly BrokerAddress[]
  /** The broker to try now. */
  current(): BrokerAddress
  /** Moves on to the next broker (wraps around). Returns it. */
  advance(): BrokerAddress
}

/**
 * Parses and shuffles `urls` (one URL, or a non-empty list).
 * @throws InvalidBrokerUrlError for a bad URL; InvalidOptionsError for an empty list
 */
export function createBrokerList(
  urls: string | readonly string[],
  random: RandomSource,
): BrokerList {
  const list = typeof urls === 'string' ? [urls] : [...urls]
  if (list.length === 0) throw new InvalidOptionsError('brokerUrl: the list of brokers is empty')
  const addresses = list.map((url) => parseBrokerUrl(url))
  for (let i = addresses.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const a = addresses[i] as BrokerAddress
    addresses[i] = addresses[j] as BrokerAddress
    addresses[j] = a
  }
  let at = 0
  return {
    addresses,
    current: () => addresses[at] as BrokerAddress,
    advance() {
      at = (at + 1) % addresses.length
      return addresses[at] as BrokerAddress
    },
  }
}
