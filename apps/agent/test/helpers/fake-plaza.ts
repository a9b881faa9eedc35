import type { PlazaEventKind, PlazaEvents, PlazaPort } from '../../src/plaza-port.js'

export interface FakePlaza extends PlazaPort {
  calls: Array<{ method: string; arg?: unknown }>
  emit<K extends PlazaEventKind>(kind: K, event: PlazaEvents[K]): void
  keys: Map<string, string>
}

export function fakePlaza(): FakePlaza {
  const listeners = new Map<string, Set<(e: unknown) => void>>()
  const calls: FakePlaza['calls'] = []
  const keys = new Map<string, string>()
  let up = false
  const record = (method: string, arg?: unknown) => {
    calls.push({ method, arg })
    return Promise.resolve()
  }
  return {
    calls,
    keys,
    emit(kind, event) {
      for (const l of listeners.get(kind) ?? []) l(event)
    },
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
    sayHeyThere: () => record('sayHeyThere'),
    sayChau: () => record('sayChau'),
    publishNewspaper: (s) => record('publishNewspaper', s),
    publishHowdy: (h) => record('publishHowdy', h),
    publishSocial: (s) => record('publishSocial', s),
    publishCheckpointProposal: (p) => record('publishCheckpointProposal', p),
    publishCheckpointVote: (v) => record('publishCheckpointVote', v),
    publishCheckpointFinal: (f) => {
      calls.push({ method: 'publishCheckpointFinal', arg: f })
      return 'final-id'
    },
    keyById: (id) => keys.get(id),
    on(kind, listener) {
      const set = listeners.get(kind) ?? new Set()
      set.add(listener as (e: unknown) => void)
      listeners.set(kind, set)
      return () => set.delete(listener as (e: unknown) => void)
    },
    connected: () => up,
  }
}
