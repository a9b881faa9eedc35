/**
 * The bench's payloads: signed social SyncEvents and ~1.25 KB newspapers from alice, encoded as
 * Go encodes them (shared by `index.ts` and `profile-direct.ts`).
 */
import { buildSocial, fastestBackend, keypairFromSoul, parseSoul } from '@nara/crypto'
import { signNewspaperStatus } from '@nara/crypto/wire'
import {
  encodeNaraStatus,
  encodeNewspaperBytes,
  encodeSyncEvent,
  type NaraStatus,
  type SyncEvent,
} from '@nara/protocol'
import { sampleStatus } from '../test/compliance/wire-fixtures.js'

export const SOULS = {
  alice: '9u2KM5Lw9wB1qaK3S46B4cWHTcpbCPG19wgWG9i233fX87HCA4bLYoG',
  bob: 'AwWZ9cD5cygmGWe6tc3Pak99cunLTXjJ4p5Cw4vo1hzcepmkkfiNgyt',
}
const NS = 1_000_000n
const enc = new TextEncoder()
export const alice = keypairFromSoul(parseSoul(SOULS.alice))
export const signer = { name: 'alice', seed: alice.seed }
export const backend = fastestBackend()

export function makeEvents(n: number, tag: string): Buffer[] {
  const now = BigInt(Date.now()) * NS
  const out: Buffer[] = []
  for (let i = 0; i < n; i++) {
    const ev = buildSocial(
      {
        type: 'tease',
        actor: 'alice',
        target: 'bob',
        reason: `${tag}-${i}`,
        tsNs: now + BigInt(i),
      },
      signer,
      backend,
    )
    out.push(Buffer.from(encodeSyncEvent(ev as SyncEvent)))
  }
  return out
}

/** The oracle tests' lively Status, made ~1 KB like a real nara's (a longer trend and URL). */
export function status(i: number): NaraStatus {
  return {
    // One boot (Uptime 86400 in every paper): the plaza refuses papers whose Uptime does not fit
    // the host's boot. Distinct papers by Buzz (the replay memory keys the Status bytes).
    ...sampleStatus(i),
    Flair: '💎🧑‍🚀',
    Trend: 'bench-trend-'.padEnd(300, 'x'),
    TrendEmoji: '🔥',
    Aura: { primary: '#AABBCC', secondary: '#DDEEFF' },
    PublicUrl: 'https://alice.example/'.padEnd(120, 'p'),
    PublicKey: Buffer.from(alice.publicKey).toString('base64'),
    ID: '5puGXP8Ljasf8FPfv2TRSDKXxK5At1SGRsk1tJzzpDk8',
    transport_mode: 'mqtt',
    event_store_total: 3,
    event_store_critical: 1,
    memory_mode: 'short',
    memory_budget_mb: 256,
    memory_max_events: 20000,
  }
}

export function makePapers(n: number): Buffer[] {
  const out: Buffer[] = []
  for (let i = 0; i < n; i++) {
    const bytes = enc.encode(encodeNaraStatus(status(i)))
    out.push(
      Buffer.from(
        encodeNewspaperBytes('alice', bytes, signNewspaperStatus(bytes, alice.seed, backend)),
      ),
    )
  }
  return out
}
