/** Presence: every nara known, its state and how that was decided; sort and filter. */
import { useState } from 'preact/hooks'
import type { NaraRow, PresenceState } from '../src/view-types.js'
import { age, ago, naraHref } from './format.js'

type SortKey = 'name' | 'state' | 'seen'

const STATE_ORDER: Record<PresenceState, number> = { ONLINE: 0, MISSING: 1, OFFLINE: 2 }

const TRUST_TEXT = {
  signature: 'pinned by signed claim',
  topic: 'topic-only',
  conflicted: 'conflicted',
} as const

/** "newspaper 3 s ago", "chau 10 s ago", "silent 42 s (> 30 s)". */
export function decision(row: NaraRow, nowMs: number): string {
  const seen = `${row.decidedBy.kind} ${ago(row.decidedBy.atMs, nowMs)}`
  if (row.state !== 'MISSING') return seen
  return `silent ${age(nowMs - row.decidedBy.atMs)} (> ${age(row.missingAfterMs)}); last ${seen}`
}

export function PresenceTable(props: { naras: NaraRow[]; nowMs: number }) {
  const [filter, setFilter] = useState('')
  const [state, setState] = useState<'' | PresenceState>('')
  const [sort, setSort] = useState<SortKey>('state')
  const needle = filter.trim().toLowerCase()
  const rows = props.naras
    .filter((n) => (state === '' || n.state === state) && n.name.toLowerCase().includes(needle))
    .sort((a, b) => {
      if (sort === 'seen') return b.decidedBy.atMs - a.decidedBy.atMs
      if (sort === 'state' && a.state !== b.state)
        return STATE_ORDER[a.state] - STATE_ORDER[b.state]
      return a.name.localeCompare(b.name)
    })
  const sortButton = (key: SortKey, label: string) => (
    <button type="button" class={sort === key ? 'on' : ''} onClick={() => setSort(key)}>
      {label}
    </button>
  )
  return (
    <section class="panel presence" aria-label="presence">
      <header>
        <h2>Presence</h2>
        <input
          type="search"
          placeholder="filter by name"
          value={filter}
          onInput={(e) => setFilter((e.target as HTMLInputElement).value)}
        />
        <select
          aria-label="state"
          value={state}
          onChange={(e) => setState((e.target as HTMLSelectElement).value as '' | PresenceState)}
        >
          <option value="">every state</option>
          <option value="ONLINE">ONLINE</option>
          <option value="MISSING">MISSING</option>
          <option value="OFFLINE">OFFLINE</option>
        </select>
        <span class="sort">
          sort: {sortButton('state', 'state')} {sortButton('name', 'name')}{' '}
          {sortButton('seen', 'last seen')}
        </span>
      </header>
      <table>
        <thead>
          <tr>
            <th>nara</th>
            <th>state</th>
            <th>decided by</th>
            <th>trust</th>
            <th>key</th>
            <th>impl</th>
            <th>newspaper</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((n) => (
            <tr key={n.name} class={`row ${n.state}`} data-name={n.name} data-state={n.state}>
              <td class="name">
                <a href={naraHref(n.name)}>{n.name}</a>
              </td>
              <td>
                <span class={`state ${n.state}`}>{n.state}</span>
              </td>
              <td class="decision">{decision(n, props.nowMs)}</td>
              <td>
                <span class={`trust ${n.trust}`}>{TRUST_TEXT[n.trust]}</span>
              </td>
              <td class="mono">{n.fingerprint}</td>
              <td>{n.impl === null ? '?' : n.impl === 'go' ? 'Go' : 'TS'}</td>
              <td>{ago(n.lastNewspaperAtMs, props.nowMs)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {rows.length === 0 ? <p class="empty">no nara matches</p> : null}
    </section>
  )
}
