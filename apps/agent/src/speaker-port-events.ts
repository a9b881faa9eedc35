/**
 * The events of the speaker port (`speaker-port.ts`): verified messages from the receiver (each
 * nara skips its own), connection events of the receiver and the speaker translated to the
 * agent's {@link PlazaEvents}, and the port's own events (what went out, and the join of a nara on
 * a town's receiver that was up before it).
 */
import { PLAZA_MESSAGE_KINDS, type PlazaEvent, type Receiver, type Speaker } from '@nara/plaza'
import type { NaraStatus } from '@nara/protocol'
import type { PlazaEventKind, PlazaEvents } from './plaza-port.js'

type Listener = (event: unknown) => void

/** Message kinds the port forwards from the receiver (each nara ignores its own). */
const MESSAGE_KINDS: ReadonlySet<string> = new Set(PLAZA_MESSAGE_KINDS)

/** Events the port emits itself, next to those it translates. */
export interface LocalEvents {
  emit<K extends PlazaEventKind>(kind: K, event: PlazaEvents[K]): void
  on(kind: PlazaEventKind, listener: Listener): () => void
}

export function localEvents(): LocalEvents {
  const listeners = new Map<string, Set<Listener>>()
  return {
    emit(kind, event) {
      for (const l of listeners.get(kind) ?? []) l(event)
    },
    on(kind, listener) {
      const set = listeners.get(kind) ?? new Set()
      set.add(listener)
      listeners.set(kind, set)
      return () => set.delete(listener)
    },
  }
}

/** Where the port's events come from. */
export interface PortEventSources {
  receiver: Receiver
  speaker: Speaker
  local: LocalEvents
  /** Whether the receiver is this nara's own (a town's receiver reports `verified` once, itself). */
  ownsReceiver: boolean
  /** Whether the port is started: translated events reach a listener only while it is. */
  started: () => boolean
}

/** Listens for one kind of port event; returns the function that stops listening. */
export function onPortEvent(src: PortEventSources, kind: PlazaEventKind, listener: Listener) {
  const live: Listener = (e) => {
    if (src.started()) listener(e)
  }
  if (MESSAGE_KINDS.has(kind)) return onMessage(src, kind, live)
  return onConnectionEvent(src, kind, live) ?? src.local.on(kind, listener)
}

/** Verified messages of one kind, except the nara's own. */
function onMessage(src: PortEventSources, kind: PlazaEventKind, live: Listener) {
  const me = src.speaker.identity.name
  return src.receiver.on(kind as 'hey_there', (ev) => {
    if (ev.sender !== me) live(portMessage(kind, ev))
  })
}

/** A delivered message as the port hands it on (a newspaper: its sender and Status). */
function portMessage(kind: PlazaEventKind, ev: PlazaEvent) {
  if (kind === 'checkpoint_final') return { message: ev.message, voters: ev.voters ?? [] }
  if (kind !== 'newspaper') return { message: ev.message }
  const paper = ev as PlazaEvent<'newspaper'>
  return {
    from: paper.sender,
    status: paper.message.envelope.Status as NaraStatus,
    nameProof: paper.nameProof,
    senderId: paper.senderId,
  } satisfies PlazaEvents['newspaper']
}

/** Receiver and speaker events; undefined for a kind only the port itself emits. */
function onConnectionEvent(
  src: PortEventSources,
  kind: PlazaEventKind,
  live: Listener,
): (() => void) | undefined {
  const { receiver } = src
  switch (kind) {
    case 'key-conflict':
      return receiver.on(kind, (ev) => live({ name: ev.name ?? ev.naraId ?? '?', topic: ev.topic }))
    case 'drop':
      return receiver.on(kind, (ev) =>
        live({
          reason: ev.reason,
          topic: ev.topic,
          kind: ev.kind,
          claimedSender: ev.claimedSender,
          detail: ev.detail,
        }),
      )
    case 'subscribed':
      return both(
        receiver.on(kind, () => live({})),
        src.local.on(kind, live),
      )
    case 'connected':
      return both(
        receiver.on(kind, (ev) => live({ reconnect: ev.reconnect })),
        src.local.on(kind, live),
      )
    case 'hey-there-sent':
      return src.speaker.on(kind, (ev) => live({ join: ev.join }))
    case 'disconnected':
      return receiver.on(kind, (ev) => live({ reason: ev.error?.message }))
    case 'error':
      return receiver.on(kind, (ev) => live({ code: ev.code, message: ev.message }))
    case 'verified':
      // A town's receiver verifies for every nara: the town reports it once.
      if (!src.ownsReceiver) return () => undefined
      return receiver.on(kind, (ev) => live({ count: ev.count, seconds: ev.seconds }))
    default:
      return undefined
  }
}

function both(off: () => void, offLocal: () => void): () => void {
  return () => {
    off()
    offLocal()
  }
}
