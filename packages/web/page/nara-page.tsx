/** One nara: its latest verified newspaper rendered for people, and its heartbeats of the hour. */
import { useEffect, useState } from 'preact/hooks'
import type { NaraPage as NaraPageData, NaraRow } from '../src/view-types.js'
import { age, ago, clock, naraHref, safeColor } from './format.js'
import { decision } from './presence-table.js'

function Meter(props: { label: string; value: number; max?: number }) {
  const max = props.max ?? 100
  const pct = Math.max(0, Math.min(100, (props.value / max) * 100))
  return (
    <div class="meter" data-meter={props.label}>
      <span class="label">{props.label}</span>
      <span class="bar">
        <span class="fill" style={{ width: `${pct}%` }} />
      </span>
      <span class="value">{props.value}</span>
    </div>
  )
}

function Swatch(props: { name: string; value: string }) {
  const color = safeColor(props.value)
  return (
    <div class="aura-colour" data-aura={props.name} data-color={color ?? ''}>
      <span class="swatch big" style={color ? { background: color } : undefined} />
      <span>
        {props.name} <span class="mono">{props.value || '—'}</span>
        {color ? '' : ' (not a colour)'}
      </span>
    </div>
  )
}

function Heartbeats(props: { times: number[]; nowMs: number }) {
  const w = 600
  const from = props.nowMs - 3_600_000
  return (
    <svg class="timeline" viewBox={`0 0 ${w} 30`} role="img" aria-label="heartbeats, last hour">
      <line x1="0" y1="29" x2={w} y2="29" class="axis" />
      {props.times.map((t) => {
        const x = ((t - from) / 3_600_000) * w
        return <line key={t} x1={x} x2={x} y1="4" y2="28" class="beat" />
      })}
    </svg>
  )
}

export function NaraPage(props: { name: string; row: NaraRow | undefined; nowMs: number }) {
  const [data, setData] = useState<NaraPageData | null | undefined>(undefined)
  const stamp = props.row ? `${props.row.verified}:${props.row.state}` : ''
  useEffect(() => {
    let live = true
    fetch(`/api/nara?name=${encodeURIComponent(props.name)}`)
      .then((r) => (r.ok ? (r.json() as Promise<NaraPageData>) : null))
      .then((d) => live && setData(d))
      .catch(() => live && setData(null))
    return () => {
      live = false
    }
  }, [props.name, stamp])
  const row = props.row ?? data?.row
  const s = data?.status
  return (
    <section class="panel nara-page" aria-label="nara">
      <header>
        <a href="#/">← plaza</a>
        <h2 class="nara-name">{props.name}</h2>
        {row ? <span class={`state ${row.state}`}>{row.state}</span> : null}
        {s?.flair ? <span class="flair">{s.flair}</span> : null}
      </header>
      {row ? (
        <p class="muted">
          {decision(row, props.nowMs)} · key <span class="mono">{row.fingerprint}</span> ·{' '}
          {row.impl === 'go' ? 'Go nara' : row.impl === 'ts' ? 'TS nara' : 'implementation unknown'}{' '}
          · restarts seen here: {row.restarts}
        </p>
      ) : null}
      {data === null ? <p class="muted">this view has not heard of that nara</p> : null}
      {s ? (
        <div class="grid">
          <div>
            <h3>Personality</h3>
            <Meter label="agreeableness" value={s.personality.agreeableness} />
            <Meter label="sociability" value={s.personality.sociability} />
            <Meter label="chill" value={s.personality.chill} />
          </div>
          <div>
            <h3>Mood</h3>
            <Meter label="buzz" value={s.buzz} max={Math.max(100, s.buzz)} />
            <Meter label="chattiness" value={s.chattiness} />
            <p class="trend">
              {s.trendEmoji || '·'} {s.trend || 'no trend'}
            </p>
          </div>
          <div class="aura">
            <h3>Aura</h3>
            <Swatch name="primary" value={s.aura.primary} />
            <Swatch name="secondary" value={s.aura.secondary} />
          </div>
          <div>
            <h3>Life</h3>
            <p>host up {age(s.hostUptimeS * 1000)}</p>
            <p>version {s.version || '?'}</p>
            <p>newspaper {ago(s.atMs, props.nowMs)}</p>
          </div>
        </div>
      ) : data ? (
        <p class="muted">no newspaper heard yet</p>
      ) : null}
      {data ? (
        <div>
          <h3>Heartbeats, last hour ({data.heartbeats.length})</h3>
          <Heartbeats times={data.heartbeats} nowMs={props.nowMs} />
        </div>
      ) : null}
      {data?.observations ? (
        <div>
          <h3>Its observations of others ({clock(data.observations.atMs)}, from a howdy)</h3>
          <ul class="observations">
            {data.observations.of.map((o) => (
              <li key={o.name}>
                <a href={naraHref(o.name)}>{o.name}</a>{' '}
                <span class={`state ${o.online}`}>{o.online || '?'}</span>
                {o.restarts ? ` · ${o.restarts} restarts` : ''}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </section>
  )
}
