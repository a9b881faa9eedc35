/** The stream: verified events as they arrive, newest first; pausable, filtered by kind. */
import { useState } from 'preact/hooks'
import type { StreamItem } from '../src/view-types.js'
import { clock, labelColor, naraHref } from './format.js'

export const KINDS = [
  'hey_there',
  'howdy',
  'newspaper',
  'social',
  'chau',
  'checkpoint_propose',
  'checkpoint_vote',
  'checkpoint_final',
] as const

export function StreamPanel(props: {
  items: StreamItem[]
  paused: boolean
  pending: number
  skipped: number
  onPause: (paused: boolean) => void
}) {
  const [hidden, setHidden] = useState<ReadonlySet<string>>(new Set())
  const toggle = (kind: string) => {
    const next = new Set(hidden)
    if (next.has(kind)) next.delete(kind)
    else next.add(kind)
    setHidden(next)
  }
  const shown = props.items
    .filter((i) => !hidden.has(i.kind))
    .slice(-150)
    .reverse()
  return (
    <section class="panel stream" aria-label="stream">
      <header>
        <h2>Stream</h2>
        <button type="button" class="pause" onClick={() => props.onPause(!props.paused)}>
          {props.paused ? `resume (${props.pending} waiting)` : 'pause'}
        </button>
        <span class="skipped" data-skipped={props.skipped}>
          {props.skipped > 0 ? `${props.skipped} events skipped` : ''}
        </span>
      </header>
      <div class="kinds">
        {KINDS.map((k) => (
          <label key={k}>
            <input type="checkbox" checked={!hidden.has(k)} onChange={() => toggle(k)} />
            {k}
          </label>
        ))}
      </div>
      <ol class="events">
        {shown.map((i) => (
          <li key={i.seq} class="event" data-kind={i.kind} data-seq={i.seq}>
            <span class="time">{clock(i.atMs)}</span>
            <span class="kind" style={{ borderColor: labelColor(i.kind) }}>
              {i.kind}
            </span>
            <a class="sender" href={naraHref(i.sender)}>
              {i.sender}
            </a>
            <span class="summary">{i.summary}</span>
          </li>
        ))}
      </ol>
    </section>
  )
}
