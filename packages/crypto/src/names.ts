/**
 * Quirky nara names (`electric-robot-422`) and the generic-hostname test that switches a nara
 * into generated-name mode (WIRE §3.3, §3.4). Word lists are upstream's `identity/names.go`.
 */
import { sha256 } from '@noble/hashes/sha2.js'
import { toHex, utf8 } from './bytes.js'
import { GoRand, int64BigEndian } from './go-rand.js'
import type { Soul } from './soul.js'

/** Upstream's 59 adjectives, in upstream order (the index is drawn from Go's `math/rand`). */
export const ADJECTIVES: readonly string[] = Object.freeze([
  'mystic',
  'dandelion',
  'quirky',
  'glitter',
  'neon',
  'fuzzy',
  'cosmic',
  'bouncy',
  'mellow',
  'spicy',
  'frozen',
  'velvet',
  'salty',
  'grumpy',
  'dizzy',
  'funky',
  'electric',
  'pixel',
  'golden',
  'silver',
  'crimson',
  'azure',
  'emerald',
  'vivid',
  'silent',
  'noisy',
  'sparkly',
  'cyber',
  'brave',
  'calm',
  'wild',
  'tame',
  'fast',
  'slow',
  'heavy',
  'light',
  'clumsy',
  'fancy',
  'magical',
  'dreamy',
  'clover',
  'vibe',
  'chill',
  'sociable',
  'agreeable',
  'buzzing',
  'nara',
  'stretchy',
  'stinky',
  'wobbly',
  'tiny',
  'giga',
  'mega',
  'ultra',
  'hyper',
  'turbo',
  'digital',
  'analog',
  'shimmering',
])

/** Upstream's 57 nouns, in upstream order. */
export const NOUNS: readonly string[] = Object.freeze([
  'pizza',
  'burger',
  'icecream',
  'donut',
  'cupcake',
  'lollipop',
  'candy',
  'chocolate',
  'popcorn',
  'salt',
  'egg',
  'waffle',
  'pancake',
  'butter',
  'clover',
  'flower',
  'cat',
  'dog',
  'fox',
  'owl',
  'bear',
  'wolf',
  'tiger',
  'lion',
  'panda',
  'otter',
  'hamster',
  'robot',
  'alien',
  'ghost',
  'wizard',
  'ninja',
  'pirate',
  'zombie',
  'vampire',
  'astronaut',
  'nara',
  'mushroom',
  'crystal',
  'comet',
  'star',
  'moon',
  'sun',
  'planet',
  'galaxy',
  'nebula',
  'meteor',
  'cactus',
  'fern',
  'moss',
  'tree',
  'leaf',
  'sprout',
  'seed',
  'berry',
  'fruit',
  'veggie',
])

/**
 * Go's `GenerateName(s)`: `""` gives `unnamed-nara`; otherwise Go `math/rand` seeded with the
 * first 8 bytes of `sha256(s)` (big-endian int64) picks adjective, noun and a 3-digit number.
 */
export function generateName(s: string): string {
  if (s === '') return 'unnamed-nara'
  const r = new GoRand(int64BigEndian(sha256(utf8(s))))
  const adjective = ADJECTIVES[r.intn(ADJECTIVES.length)]
  const noun = NOUNS[r.intn(NOUNS.length)]
  const n = r.intn(1000)
  return `${adjective}-${noun}-${String(n).padStart(3, '0')}`
}

/** The generated name of a soul: `generateName(hex(seed))`. */
export function nameFromSoul(soul: Soul): string {
  return generateName(toHex(soul.seed))
}

const GENERIC_NAMES = [
  'localhost',
  'raspberrypi',
  'raspberry',
  'debian',
  'ubuntu',
  'nixos',
  'nara',
  // Upstream quirk kept on purpose: compared against the LOWERCASED hostname, so it never matches.
  'Mac',
]
const CONTAINER_ID = /^[0-9a-f]{12,}$/

/**
 * Go's `IsGenericHostname`: true when the lowercased hostname contains a generic word or looks
 * like a container ID (12+ hex chars). `MacBook-Pro` is NOT generic (upstream's `Mac` quirk).
 */
export function isGenericHostname(hostname: string): boolean {
  const lower = hostname.toLowerCase()
  if (GENERIC_NAMES.some((g) => lower.includes(g))) return true
  return CONTAINER_ID.test(lower)
}
