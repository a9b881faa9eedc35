/** The whole page: a header that says what is watched and how it is, then the panels. */
import { useEffect, useState } from 'preact/hooks'
import { CheckpointsPanel } from './checkpoints-panel.js'
import { NaraPage } from './nara-page.js'
import { type PageState, setPaused } from './page-state.js'
import { PresenceTable } from './presence-table.js'
import { RefusedPanel } from './refused-panel.js'
import type { connect } from './store.js'
import { StreamPanel } from './stream-panel.js'

const route = () => {
  const m = /^#\/nara\/(.+)$/.exec(window.location.hash)
  return m?.[1] ? decodeURIComponent(m[1]) : null
}

export function App(props: { store: ReturnType<typeof connect>; state: PageState }) {
  const s = props.state
  const [naraName, setNaraName] = useState(route())
  const [, tick] = useState(0)
  useEffect(() => {
    const onHash = () => setNaraName(route())
    window.addEventListener('hashchange', onHash)
    const timer = setInterval(() => tick((n) => n + 1), 1000)
    return () => {
      window.removeEventListener('hashchange', onHash)
      clearInterval(timer)
    }
  }, [])
  const nowMs = Date.now() + s.skewMs
  const naras = [...s.naras.values()]
  const count = (state: string) => naras.filter((n) => n.state === state).length
  const refused = Object.values(s.refused.totals).reduce((a, b) => a + b, 0)
  return (
    <div class="app">
      <header class="top">
        <h1>nara plaza</h1>
        <span class="source">
          {s.source ? `${s.source.mode} · ${s.source.broker}` : 'connecting…'}
        </span>
        <span class={`pill ${s.live && s.connected ? 'live' : 'down'}`} data-live={String(s.live)}>
          {!s.live ? 'reconnecting…' : s.connected ? 'live' : 'broker disconnected'}
        </span>
        <span class="counts">
          <span class="count ONLINE">{count('ONLINE')} online</span>
          <span class="count MISSING">{count('MISSING')} missing</span>
          <span class="count OFFLINE">{count('OFFLINE')} offline</span>
          <span class={refused ? 'refused-count bad' : 'refused-count'}>{refused} refused</span>
        </span>
      </header>
      <main>
        <div class="left">
          {naraName !== null ? (
            <NaraPage name={naraName} row={s.naras.get(naraName)} nowMs={nowMs} />
          ) : (
            <PresenceTable naras={naras} nowMs={nowMs} />
          )}
          <RefusedPanel refused={s.refused} />
          <CheckpointsPanel rounds={s.checkpoints} />
        </div>
        <div class="right">
          <StreamPanel
            items={s.stream}
            paused={s.paused}
            pending={s.pending.length}
            skipped={s.skipped}
            onPause={(p) => props.store.update((st) => setPaused(st, p))}
          />
        </div>
      </main>
      <footer class="muted">
        Every name and text here comes from the plaza and is shown as plain text. Presence: a
        verified message makes a nara ONLINE, a verified chau OFFLINE, {s.missingAfterS} s of
        silence MISSING.
      </footer>
    </div>
  )
}
