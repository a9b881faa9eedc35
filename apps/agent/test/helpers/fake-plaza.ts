import type { PlazaEventKind, PlazaEvents, PlazaPort } from '../../src/plaza-port.js'

export interface FakePlaza extends PlazaPort {
  calls: Array<{ method: string; arg?: unknown }>
  emit<K extends PlazaEventKind>(kind: K, event: PlazaEvents[K]): void
  keys: Map<string, string>
  /** Names with standing (durable pins); see `PlazaPort.hasStanding`. */
  standing: Set<string>
}

export function fakePlaza(): FakePlaza {
  const listeners = new Map<string, Set<(e: unknown) => void>>()
  const calls: FakePlaza['calls'] = []
  const keys = new Map<string, string>()
  const standing = new Set<string>()
  let up = false
  const record = (method: string, arg?: unknown) => {
    calls.push({ method, arg })
    return Promise.resolve()
  }
  const emit = (kind: string, event: unknown) => {
    for (const l of listeners.get(kind) ?? []) l(event)
  }
  /** Like the real adapter: `published` once the publish resolved. */
  const send = (method: string, topic: string, arg?: unknown) =>
    record(method, arg).then(() => emit('published', { topic }))
  return {
    calls,
    keys,
    standing,
    emit,
    start() {
      up = true
      const done = record('start')
      for (const l of listeners.get('connected') ?? []) l({ reconnect: false })
      for (const l of listeners.get('subscribed') ?? []) l({})
      return done
    },
    stop: () => {
      up = false
      return record('stop')
    },
    sayHeyThere: () => send('sayHeyThere', 'hey_there'),
    sayChau: () => send('sayChau', 'chau'),
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
  }
}
