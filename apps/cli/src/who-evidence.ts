/**
 * What `nara who` learns about each nara from the verified messages it hears: every verified
 * message whose sender the signature (or the pins) vouches for is evidence that the nara is
 * there (hey_there, howdy, newspaper, social, checkpoint proposal and vote), a chau says it
 * left, and newspapers and howdys carry its status (chattiness, buzz, version, key).
 */
import type { PlazaEvent } from '@nara/plaza'
import { keyFingerprint } from '@nara/web'

/**
 * The kinds that show their sender is on the plaza now (the web page's list): hey_there, howdy,
 * newspaper, social, checkpoint proposal and vote, and chau (it left). Not a checkpoint final:
 * its `sender` is the subject who signed the values, not who published it.
 */
export { EVIDENCE_KINDS } from '@nara/web'

export interface WhoRow {
  name: string
  /** ONLINE (heard from), OFFLINE (said chau), MISSING (pinned but not heard in the window). */
  state: 'ONLINE' | 'OFFLINE' | 'MISSING'
  /** Milliseconds since its last verified message; null when none was heard. */
  lastHeardAgeMs: number | null
  /** The kind of that message (hey_there, howdy, newspaper, social, checkpoint_*, chau). */
  lastEvidence: string | null
  /** Verified messages heard from it in the window. */
  messages: number
  /** Milliseconds since its last newspaper; null when none was heard. */
  heartbeatAgeMs: number | null
  chattiness: number | null
  buzz: number | null
  version: string | null
  publicKey: string | null
  fingerprint: string
  /** pinned: matches the pins; new: not pinned before; conflict: contradicts a pin. */
  trust: 'pinned' | 'new' | 'conflict' | 'unknown'
}

export interface Seen {
  name: string
  lastHeardMs?: number
  lastEvidence?: string
  messages: number
  lastNewspaperMs?: number
  saidChau?: boolean
  chattiness?: number
  buzz?: number
  version?: string
  publicKey?: string
  conflict?: boolean
}

/** Whether an event is evidence about its sender: verified, and the name is not a mere claim. */
export function isEvidence(event: PlazaEvent): boolean {
  return event.authenticated && event.nameProof !== 'none'
}

/** What an event tells about its sender: last heard, newspaper status, key, chau. */
export function recordEvent(s: Seen, event: PlazaEvent): void {
  s.lastHeardMs = event.receivedAtMs
  s.lastEvidence = event.kind
  s.messages++
  s.saidChau = event.kind === 'chau'
  if (event.kind === 'newspaper') {
    const status = (event as PlazaEvent<'newspaper'>).message.envelope.Status
    s.lastNewspaperMs = event.receivedAtMs
    s.chattiness = Number(status.Chattiness)
    s.buzz = Number(status.Buzz)
    s.version = status.Version || s.version
    s.publicKey = status.PublicKey || s.publicKey
  } else if (event.kind === 'howdy') {
    const status = (event as PlazaEvent<'howdy'>).message.Me
    s.chattiness ??= Number(status.Chattiness)
    s.buzz ??= Number(status.Buzz)
    s.version ??= status.Version || undefined
    s.publicKey = status.PublicKey || s.publicKey
  } else if (event.kind === 'hey_there') {
    s.publicKey = (event as PlazaEvent<'hey_there'>).message.hey_there.PublicKey || s.publicKey
  }
}

export function stateOrder(state: WhoRow['state']): number {
  return state === 'ONLINE' ? 0 : state === 'MISSING' ? 1 : 2
}

export function toRow(s: Seen, pins: Record<string, string>, now: number): WhoRow {
  const pinned = pins[s.name]
  const key = s.publicKey ?? pinned ?? null
  let trust: WhoRow['trust'] = 'unknown'
  if (s.conflict || (pinned && s.publicKey && pinned !== s.publicKey)) trust = 'conflict'
  else if (pinned && key === pinned) trust = 'pinned'
  else if (key) trust = 'new'
  const state: WhoRow['state'] =
    s.lastHeardMs === undefined ? 'MISSING' : s.saidChau ? 'OFFLINE' : 'ONLINE'
  const age = (ms: number | undefined) => (ms === undefined ? null : Math.max(0, now - ms))
  return {
    name: s.name,
    state,
    lastHeardAgeMs: age(s.lastHeardMs),
    lastEvidence: s.lastEvidence ?? null,
    messages: s.messages,
    heartbeatAgeMs: age(s.lastNewspaperMs),
    chattiness: s.chattiness ?? null,
    buzz: s.buzz ?? null,
    version: s.version ?? null,
    publicKey: key,
    fingerprint: keyFingerprint(key ?? undefined),
    trust,
  }
}

/**
 * Why nobody was heard and what to try: what the plaza dropped (all of it, by reason), or
 * that nothing came at all.
 */
export function nobodyHeard(options: {
  url: string
  waitS: number
  drops: ReadonlyMap<string, number>
}): { why: string; tryThis: string[] } {
  const dropped = [...options.drops.values()].reduce((a, b) => a + b, 0)
  const tryThis = [
    `nara who --wait ${Math.max(300, options.waitS)}  (a nara sends a newspaper only every 30-300 s; hey_there and howdy only when one joins)`,
    'nara watch  (every message on the plaza as it arrives, with the verdict)',
    'nara doctor  (is this the broker the naras use, and may we subscribe?)',
  ]
  if (dropped > 0) {
    const reasons = [...options.drops.entries()]
      .sort((a, b) => b[1] - a[1])
      .map(([reason, n]) => `${reason} ${n}`)
      .join(', ')
    return {
      why: `${dropped} message(s) arrived but none verified (dropped: ${reasons})`,
      tryThis: [...options.drops.keys()].some((r) => r === 'key-conflict')
        ? ['nara keyring show  (a pin contradicts a key a nara uses now)', ...tryThis]
        : tryThis,
    }
  }
  return {
    why: `no plaza message at all arrived from ${options.url} in ${options.waitS} s`,
    tryThis,
  }
}
