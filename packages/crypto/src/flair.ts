/**
 * Self-reported soul flourishes (WIRE §3.7): the gemstone flair prefix and the personality
 * triple. Nobody verifies them; they only have to match what a Go nara would show for itself.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { utf8 } from './bytes.js'
import { GoRand, int64BigEndian } from './go-rand.js'
import { encodeSoul, type Soul } from './soul.js'

/** Upstream's 11 gemstones, in order (`⛵️` carries U+FE0F). */
export const GEMSTONES: readonly string[] = Object.freeze([
  '\u{1F48E}',
  '\u{1F52E}',
  '\u{1F308}',
  '\u{1F9FF}',
  '\u26F5\uFE0F',
  '\u{1F9CA}',
  '\u{1F3EE}',
  '\u{1F41A}',
  '\u{1FA99}',
  '\u{1F9E7}',
  '\u{1FAAC}',
])

/** The flair prefix of a nara whose bond is broken. */
export const SHADOW_FLAIR = '\u{1F464}'

/** A nara's personality, each trait 0..99. */
export interface Personality {
  readonly Agreeableness: number
  readonly Sociability: number
  readonly Chill: number
}

function soulText(soul: Soul | string): string {
  return typeof soul === 'string' ? soul : encodeSoul(soul)
}

/** Go `Gemstone(name, soulBase58)`: `gemstones[u64be(sha256(name + soul)[0..8]) mod 11]`. */
export function flairGemstone(name: string, soul: Soul | string): string {
  const digest = sha256(utf8(name + soulText(soul)))
  const u = BigInt.asUintN(64, int64BigEndian(digest))
  return GEMSTONES[Number(u % BigInt(GEMSTONES.length))] as string
}

/** The flair prefix: the gemstone when the bond is valid, else the shadow `👤`. */
export function flairPrefix(name: string, soul: Soul | string, isValidBond: boolean): string {
  return isValidBond ? flairGemstone(name, soul) : SHADOW_FLAIR
}

/** Personality from Go `math/rand` seeded with `i64be(sha256(soulBase58)[0..8])`. */
export function personalityFromSoul(soul: Soul | string): Personality {
  const r = new GoRand(int64BigEndian(sha256(utf8(soulText(soul)))))
  const Agreeableness = r.intn(100)
  const Sociability = r.intn(100)
  const Chill = r.intn(100)
  return Object.freeze({ Agreeableness, Sociability, Chill })
}
