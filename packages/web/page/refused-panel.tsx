/** What was refused: drops by reason per minute, the latest drops, and key conflicts. */
import type { RefusedView } from '../src/view-types.js'
import { clock, labelColor } from './format.js'

function DropChart(props: { refused: RefusedView }) {
  const minutes = props.refused.perMinute.slice(-30)
  const max = Math.max(
    1,
    ...minutes.map((m) => Object.values(m.byReason).reduce((a, b) => a + b, 0)),
  )
  const w = 12
  const h = 60
  return (
    <svg class="chart" viewBox={`0 0 ${30 * w} ${h}`} role="img" aria-label="drops per minute">
      {minutes.map((m, i) => {
        let y = h
        return Object.entries(m.byReason).map(([reason, n]) => {
          const bar = (n / max) * (h - 4)
          y -= bar
          return (
            <rect
              key={`${m.minuteMs}-${reason}`}
              x={(30 - minutes.length + i) * w + 1}
              y={y}
              width={w - 2}
              height={bar}
              fill={labelColor(reason)}
            >
              <title>{`${clock(m.minuteMs)} ${reason}: ${n}`}</title>
            </rect>
          )
        })
      })}
    </svg>
  )
}

export function RefusedPanel(props: { refused: RefusedView }) {
  const r = props.refused
  const totals = Object.entries(r.totals).sort((a, b) => b[1] - a[1])
  return (
    <section class="panel refused" aria-label="refused">
      <header>
        <h2>Refused</h2>
        <span class="muted">drops per minute, last 30 min</span>
      </header>
      <DropChart refused={r} />
      <ul class="legend">
        {totals.map(([reason, n]) => (
          <li key={reason} data-reason={reason}>
            <span class="swatch" style={{ background: labelColor(reason) }} />
            {reason}: {n}
          </li>
        ))}
        {totals.length === 0 ? <li class="muted">nothing refused</li> : null}
      </ul>
      {r.conflicts.length > 0 ? (
        <div class="conflicts">
          <h3>Key conflicts</h3>
          <ul>
            {r.conflicts
              .slice(-10)
              .reverse()
              .map((c) => (
                <li key={`${c.atMs}-${c.topic}-${c.offeredFingerprint}`} class="conflict">
                  <span class="time">{clock(c.atMs)}</span> <strong>{c.name ?? '?'}</strong> on{' '}
                  {c.topic}: pinned <span class="mono">{c.pinnedFingerprint}</span>, offered{' '}
                  <span class="mono">{c.offeredFingerprint}</span>
                </li>
              ))}
          </ul>
        </div>
      ) : null}
      <table class="drops">
        <thead>
          <tr>
            <th>time</th>
            <th>reason</th>
            <th>topic</th>
            <th>claimed sender</th>
            <th>detail</th>
          </tr>
        </thead>
        <tbody>
          {r.recent
            .slice(-20)
            .reverse()
            .map((d, i) => (
              <tr key={`${d.atMs}-${i}`} class="drop" data-reason={d.reason}>
                <td class="time">{clock(d.atMs)}</td>
                <td>
                  <span class="reason" style={{ borderColor: labelColor(d.reason) }}>
                    {d.reason}
                  </span>
                </td>
                <td>{d.topic}</td>
                <td>{d.claimedSender ?? '?'}</td>
                <td class="muted">{d.detail ?? ''}</td>
              </tr>
            ))}
        </tbody>
      </table>
    </section>
  )
}
