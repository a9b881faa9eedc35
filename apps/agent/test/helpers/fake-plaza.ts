import type { Clock, Random, TimerHandle } from '../../src/clock.js'
import type { PlazaEventKind, PlazaEvents, PlazaPort } from '../../src/plaza-port.js'

export interface FakePlaza extends PlazaPort {
  /** What went out, in order; the plaza's own join hey_there is `sayHeyThere` with `{ join: true }`. */
  calls: Array<{ method: string; arg?: unknown }>
  /** Emits an event to the agent; `subscribed` starts a join, `disconnected` cancels it, as the plaza does. */
  emit<K extends PlazaEventKind>(kind: K, event: PlazaEvents[K]): void
  keys: Map<string, string>
  /** Names with standing (durable pins); see `PlazaPort.hasStanding`. */
  standing: Set<string>
  /** Upper bound of the join jitter, ms: what the agent asked for when it created the plaza. */
  joinJitterMaxMs: number
}

/** Events that are not an inbound message (or its drop). */
const LIFECYCLE: ReadonlySet<string> = new Set([
  'connected',
  'subscribed',
  'disconnected',
  'hey-there-sent',
  'published',
  'verified',
  'key-conflict',
])

export interface FakePlazaOptions {
  /** Clock of the join jitter; without one the join hey_there goes out at once. */
  clock?: Clock
  /** Random source of the join jitter (default 0.5). */
  random?: Random
}

/**
 * A fake of the agent's plaza port. Like the real plaza it says the join hey_there itself: a
 * uniform [0, `joinJitterMaxMs`) ms after each subscribe (on `clock`), then `hey-there-sent`
 * with `join: true`.
 */
export function fakePlaza(options: FakePlazaOptions = {}): FakePlaza {
  const listeners = new Map<string, Set<(e: unknown) => void>>()
  const calls: FakePlaza['calls'] = []
  const keys = new Map<string, string>()
  const standing = new Set<string>()
  const random = options.random ?? (() => 0.5)
  let up = false
  /** Messages the fake's pipeline finished: every message event and drop emitted. */
  let inbound = 0
  let pendingJoin: TimerHandle | undefined
  const record = (method: string, arg?: unknown) => {
    calls.push({ method, arg })
    return Promise.resolve()
  }
  const deliver = (kind: string, event: unknown) => {
    for (const l of listeners.get(kind) ?? []) l(event)
  }
  /** Like the real adapter: `published` once the publish resolved. */
  const send = (method: string, topic: string, arg?: unknown) =>
    record(method, arg).then(() => deliver('published', { topic }))
  /** Like the speaker: every hey_there that went out is `hey-there-sent`, and `published`. */
  const heyThere = (join: boolean) => {
    calls.push({ method: 'sayHeyThere', ...(join ? { arg: { join } } : {}) })
    deliver('hey-there-sent', { join })
    deliver('published', { topic: 'hey_there' })
  }
  const cancelJoin = () => {
    if (pendingJoin !== undefined) options.clock?.clearTimeout(pendingJoin)
    pendingJoin = undefined
  }
  const scheduleJoin = () => {
    cancelJoin()
    const { clock } = options
    if (clock === undefined) return heyThere(true)
    const delayMs = Math.floor(random() * plaza.joinJitterMaxMs)
    pendingJoin = clock.setTimeout(() => {
      pendingJoin = undefined
      if (up) heyThere(true)
    }, delayMs)
  }
  const plaza: FakePlaza = {
    calls,
    keys,
    standing,
    joinJitterMaxMs: 0,
    emit(kind, event) {
      if (kind === 'disconnected') cancelJoin()
      if (!LIFECYCLE.has(kind)) inbound += 1
      deliver(kind, event)
      if (kind === 'subscribed') scheduleJoin()
    },
    start() {
      up = true
      const done = record('start')
      deliver('connected', { reconnect: false })
      plaza.emit('subscribed', {})
      return done
    },
    stop: () => {
      up = false
      cancelJoin()
      return record('stop')
    },
    sayHeyThere: async () => heyThere(false),
    sayChau: () => send('sayChau', 'chau').then(() => up),
    publishNewspaper: (s) => send('publishNewspaper', 'newspaper', s),
    publishHowdy: (h) => send('publishHowdy', 'howdy', h),
    publishSocial: (s) => send('publishSocial', 'social', s),
    publishCheckpointProposal: (p) => send('publishCheckpointProposal', 'checkpoint_propose', p),
    publishCheckpointVote: (v) => send('publishCheckpointVote', 'checkpoint_vote', v),
    publishCheckpointFinal: (f) => {
      calls.push({ method: 'publishCheckpointFinal', arg: f })
      return 'final-id'
    },
    keyById: (id) => keys.get(id),
    hasStanding: (name) => standing.has(name),
    brokerUrl: () => 'mqtt://127.0.0.1:1',
    on(kind, listener) {
      const set = listeners.get(kind) ?? new Set()
      set.add(listener as (e: unknown) => void)
      listeners.set(kind, set)
      return () => set.delete(listener as (e: unknown) => void)
    },
    connected: () => up,
    inboundSeen: () => inbound,
  }
  return plaza
}
