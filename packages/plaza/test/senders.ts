/**
 * Signed messages from any name (a generated soul, or a seeded one for a reproducible run),
 * for the flood and memory tests.
 */
import {
  buildChau,
  buildHeyThere,
  buildSocial,
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

/** A signed social (tease of bob) by `who`. */
export const socialFrom = (who: Person, reason: string, tsNs: bigint): Uint8Array =>
  enc.encode(
    encodeSyncEvent(
      buildSocial(
        { type: 'tease', actor: who.name, target: 'bob', reason, tsNs },
        who,
      ) as SyncEvent,
    ),
  )

/** A signed hey_there by `who`. */
export const heyThereFrom = (who: Person, tsNs: bigint): Uint8Array =>
  enc.encode(
    encodeSyncEvent(
      buildHeyThere(
        { name: who.name, publicKey: who.publicKey, naraId: who.id, tsNs },
        who,
      ) as SyncEvent,
    ),
  )

/** A signed chau by `who`. */
export const chauFrom = (who: Person, tsNs: bigint): Uint8Array =>
  enc.encode(
    encodeSyncEvent(
      buildChau(
        { name: who.name, publicKey: who.publicKey, naraId: who.id, tsNs },
        who,
      ) as SyncEvent,
    ),
  )
