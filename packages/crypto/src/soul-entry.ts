/**
 * @packageDocumentation
 *
 * `@nara/crypto/soul`: the details of souls and names beyond what `@nara/crypto` exports: soul
 * bytes and bond tags (WIRE §3.1), Go-exact generated names (a port of Go's `math/rand`), flair
 * and personality, native (hardware-derived) souls and Go's `DetermineIdentity`.
 *
 * @example
 * ```ts
 * import { generateSoul } from '@nara/crypto'
 * import { bondTag, flairPrefix, soulBytes } from '@nara/crypto/soul'
 *
 * const { soul, name } = generateSoul('')
 * console.log(name, soulBytes(soul).length, bondTag(soul.seed, name).length, flairPrefix(name, soul, true))
 * ```
 */

export {
  flairGemstone,
  flairPrefix,
  GEMSTONES,
  type Personality,
  personalityFromSoul,
  SHADOW_FLAIR,
} from './flair.js'
export { GoRand, int64BigEndian } from './go-rand.js'
export {
  hardwareFingerprint,
  hashHardware,
  type InterfaceInfo,
  macFragments,
  nativeSoulCustom,
  nativeSoulGenerated,
} from './hardware.js'
export { type DeterminedIdentity, determineIdentity } from './identity.js'
export { ADJECTIVES, generateName, isGenericHostname, NOUNS } from './names.js'
export {
  bondTag,
  type RandomBytes,
  SEED_LENGTH,
  SOUL_LENGTH,
  soulBytes,
  soulForName,
  soulFromBytes,
  soulFromParts,
  TAG_LENGTH,
} from './soul.js'
