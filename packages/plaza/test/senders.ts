/**
 * Signed messages from any name (a generated soul, or a seeded one for a reproducible run),
 * for the flood and memory tests. A social and a Status come from `compliance/wire-fixtures.ts`
 * (re-exported here).
 */
import {
  buildChau,
  buildHeyThere,
  computeNaraId,
  generateSoul,
  keypairFromSoul,
} from '@nara/crypto'
import { encodeSyncEvent, type SyncEvent } from '@nara/protocol'

const enc = new TextEncoder()

/** A nara: name, key pair and NaraID (seeded by `n` for a reproducible key). */
export function person(name: string, n?: number) {
  const seeded =
    n === undefined
      ? undefined
      : (len: number) => {
          const seed = new Uint8Array(len)
          new DataView(seed.buffer).setUint32(0, n + 1)
          return seed
        }
  const { soul } = seeded === undefined ? generateSoul(name) : generateSoul(name, seeded)
  const kp = keypairFromSoul(soul)
  return { name, seed: kp.seed, publicKey: kp.publicKey, id: computeNaraId(soul, name) }
}

export type Person = ReturnType<typeof person>

/** A signed hey_there or chau by `who`. */
const presenceFrom =
  (build: typeof buildHeyThere | typeof buildChau) =>
  (who: Person, tsNs: bigint): Uint8Array => {
    const input = { name: who.name, publicKey: who.publicKey, naraId: who.id, tsNs }
    return enc.encode(encodeSyncEvent(build(input, who) as SyncEvent))
  }

export const heyThereFrom = presenceFrom(buildHeyThere)
export const chauFrom = presenceFrom(buildChau)

export { socialBytes, zeroStatus } from './compliance/wire-fixtures.js'
