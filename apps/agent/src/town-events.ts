/**
 * The town's event feed: one line per message the town's receiver verified (every message once,
 * whoever of the town's naras it concerns), logged with its kind and sender as fields, and kept
 * in a bounded list for the terminal screen under the table. A nara that said chau and speaks
 * again is "back".
 */
import {
  PLAZA_MESSAGE_KINDS,
  type PlazaEvent,
  type PlazaMessageKind,
  type Receiver,
} from '@nara/plaza'
import { summarize } from '@nara/web'
import type { Clock } from './clock.js'
import type { Logger } from './logger.js'

/** The kinds the feed shows: all but the ledger and journey kinds (not part of a town's life). */
export const FEED_KINDS: readonly PlazaMessageKind[] = PLAZA_MESSAGE_KINDS.filter(
  (kind) => !kind.startsWith('ledger_') && kind !== 'journey_complete',
)

export interface TownEvents {
  /** The latest lines, oldest first (`HH:MM:SS text`). */
  lines(): string[]
  /** Adds a line of the town's own (a warning, the show's steps). */
  note(text: string): void
  /** Stops listening. */
  close(): void
}

/** A newspaper with its buzz and mood (the nara's flair and trend emoji). */
function newspaperText(event: PlazaEvent<'newspaper'>): string {
  const s = event.message.envelope.Status
  const mood = `${s.Flair ?? ''}${s.TrendEmoji ?? ''}`.trim()
  return `newspaper: buzz ${s.Buzz ?? 0}, chattiness ${s.Chattiness ?? 0}${mood ? `, mood ${mood}` : ''}`
}

export function createTownEvents(o: {
  receiver: Receiver
  clock: Clock
  logger: Logger
  /** Lines kept for the screen. */
  max: number
}): TownEvents {
  const kept: string[] = []
  const away = new Set<string>()
  const keep = (text: string) => {
    const t = new Date(o.clock.now()).toISOString().slice(11, 19)
    kept.push(`${t} ${text}`)
    if (kept.length > o.max) kept.splice(0, kept.length - o.max)
  }
  const onEvent = (event: PlazaEvent) => {
    let text = event.kind === 'newspaper' ? newspaperText(event as never) : summarize(event)
    let back = false
    if (event.kind === 'chau') away.add(event.sender)
    if (event.kind === 'hey_there' && away.delete(event.sender)) {
      back = true
      text = `is back: ${text}`
    }
    const line = `${event.sender} ${text}`
    o.logger.info({ event: event.kind, sender: event.sender, ...(back ? { back } : {}) }, line)
    keep(line)
  }
  const unsubscribe = FEED_KINDS.map((kind) => o.receiver.on(kind, onEvent as never))
  return {
    lines: () => kept.slice(),
    note: keep,
    close: () => {
      for (const u of unsubscribe) u()
    },
  }
}
