import { randomBytes } from 'node:crypto'

/**
 * An MQTT client ID that is unique per process and never a nara name (WIRE.md §1.2, §12.3:
 * Go naras use their bare name, and a second client with the same ID evicts the first).
 * Format `nara-ts-{pid base36}-{8 random hex}`, at most 23 characters (the MQTT 3.1.1 limit).
 * Deliberately NOT drawn from the injected random source: two plazas in one test with a
 * scripted random must still get different IDs.
 */
export function makeClientId(pid: number = process.pid): string {
  return `nara-ts-${(pid % 36 ** 5).toString(36)}-${randomBytes(4).toString('hex')}`
}
