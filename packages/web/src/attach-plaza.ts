/**
 * Feeds verified events, drops, key conflicts and connection changes into a view, from a
 * `@nara/plaza` Receiver (a town's: every message once, each nara's own included) or a Plaza
 * (a watcher's with no identity of its own).
 */
import { PLAZA_MESSAGE_KINDS, type PlazaEvent, type Receiver } from '@nara/plaza'
import type { PlazaView } from './plaza-view.js'

/** What a view listens to: a Receiver, or a Plaza (which has the same events and more). */
export type PlazaSource = Pick<Receiver, 'on' | 'connected'>

export function attachPlaza(view: PlazaView, plaza: PlazaSource): () => void {
  const offs = PLAZA_MESSAGE_KINDS.map((kind) =>
    plaza.on(kind, (event) => view.event(event as PlazaEvent)),
  )
  offs.push(
    plaza.on('drop', (d) => view.drop(d)),
    plaza.on('key-conflict', (c) => view.keyConflict(c)),
    plaza.on('subscribed', () => view.connection(true)),
    plaza.on('disconnected', () => view.connection(false)),
  )
  if (plaza.connected) view.connection(true)
  return () => {
    for (const off of offs) off()
  }
}
