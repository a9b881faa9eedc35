/**
 * The page's connection: the snapshot, then every update from `/api/events` (Server-Sent
 * Events). EventSource reconnects by itself after an agent restart; each (re)connect starts with
 * a fresh snapshot. Renders are batched to one per animation frame, so a flood cannot freeze the
 * page.
 */
import type { Update } from '../src/view-types.js'
import { apply, initialState, type PageState } from './page-state.js'

const KINDS = [
  'snapshot',
  'nara',
  'event',
  'drop',
  'conflict',
  'checkpoint',
  'connection',
  'skipped',
]

/** Connects to the event stream; `onChange` runs at most once per animation frame. */
export function connect(onChange: (s: PageState) => void): {
  get(): PageState
  update(fn: (s: PageState) => PageState): void
} {
  let state = initialState()
  let scheduled = false
  const flush = () => {
    scheduled = false
    onChange(state)
  }
  const changed = () => {
    if (scheduled) return
    scheduled = true
    requestAnimationFrame(flush)
  }
  const open = () => {
    const source = new EventSource('/api/events')
    for (const type of KINDS) {
      source.addEventListener(type, (ev) => {
        const data = JSON.parse((ev as MessageEvent<string>).data)
        state = apply(state, { type, data } as Update)
        changed()
      })
    }
    source.addEventListener('error', () => {
      state = { ...state, live: false }
      changed()
      // EventSource retries network errors by itself; after a refused answer it gives up.
      if (source.readyState === EventSource.CLOSED) setTimeout(open, 2000)
    })
  }
  open()
  return {
    get: () => state,
    update(fn) {
      state = fn(state)
      changed()
    },
  }
}
