/**
 * A small town for the CLI tests: real @nara/plaza clients, in-process, on the test's broker.
 * Each has its own soul; `newspaper()` publishes a signed newspaper with the given values.
 */
import {
  buildHeyThere,
  computeNaraId,
  encodeSoul,
  generateSoul,
  keypairFromSoul,
  publicKeyBase64,
  type Soul,
} from '@nara/crypto'
import { createPlaza, type Plaza } from '@nara/plaza'
import { encodeSyncEvent, type SyncEvent, TOPICS } from '@nara/protocol'
import { naraStatusSchema } from '@nara/protocol/schemas'

export interface Townie {
  name: string
  soul: Soul
  soulText: string
  naraId: string
  publicKey: string
  plaza: Plaza
  newspaper(values: { Chattiness?: number; Buzz?: number; Version?: string }): Promise<boolean>
}

export async function startTownie(brokerUrl: string, name: string): Promise<Townie> {
  const { soul } = generateSoul(name)
  const soulText = encodeSoul(soul)
  const plaza = createPlaza({
    brokerUrl,
    identity: { name, soul: soulText },
    heyThereOnConnect: false,
  })
  await plaza.start()
  await plaza.waitConnected()
  const empty = naraStatusSchema.parse({})
  return {
    name,
    soul,
    soulText,
    naraId: computeNaraId(soul, name),
    publicKey: publicKeyBase64(keypairFromSoul(soul).publicKey),
    plaza,
    newspaper: (values) => plaza.publishNewspaper({ ...empty, ...values }),
  }
}

/**
 * A hey_there that claims to come from `victim` but is signed by `forger`'s soul with the
 * forger's key embedded: self-consistent, so only a pin on the victim's key exposes it.
 */
export function impersonatingHeyThere(victim: string, forger: Soul): Uint8Array {
  const { seed, publicKey } = keypairFromSoul(forger)
  const ev = buildHeyThere(
    { name: victim, publicKey, naraId: 'x', tsNs: BigInt(Date.now()) * 1_000_000n },
    { name: victim, seed },
  )
  return new TextEncoder().encode(
    encodeSyncEvent({ ...ev, hey_there: { ...ev.hey_there, ID: '' } } as SyncEvent),
  )
}

/** A hey_there of `townie` carrying the signature of another event. */
export function resignedHeyThere(townie: Townie, other: Townie): Uint8Array {
  const ts = BigInt(Date.now()) * 1_000_000n
  const mine = keypairFromSoul(townie.soul)
  const theirs = keypairFromSoul(other.soul)
  const ev = buildHeyThere(
    { name: townie.name, publicKey: mine.publicKey, naraId: townie.naraId, tsNs: ts },
    { name: townie.name, seed: mine.seed },
  )
  const foreign = buildHeyThere(
    { name: other.name, publicKey: theirs.publicKey, naraId: other.naraId, tsNs: ts },
    { name: other.name, seed: theirs.seed },
  )
  return new TextEncoder().encode(encodeSyncEvent({ ...ev, sig: foreign.sig } as SyncEvent))
}

/** A genuine hey_there of `townie` with its MeshIP changed after signing. */
export function tamperedHeyThere(townie: Townie): Uint8Array {
  const { seed, publicKey } = keypairFromSoul(townie.soul)
  const ev = buildHeyThere(
    { name: townie.name, publicKey, naraId: townie.naraId, tsNs: BigInt(Date.now()) * 1_000_000n },
    { name: townie.name, seed },
  )
  const tampered = { ...ev, hey_there: { ...ev.hey_there, MeshIP: '100.64.0.66' } }
  return new TextEncoder().encode(encodeSyncEvent(tampered as SyncEvent))
}

export { TOPICS }
