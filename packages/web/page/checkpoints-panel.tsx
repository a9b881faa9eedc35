/** Checkpoints: rounds in progress and finals, with voters and which signatures verified. */
import type { CheckpointRound } from '../src/view-types.js'
import { clock } from './format.js'

export function CheckpointsPanel(props: { rounds: CheckpointRound[] }) {
  const rounds = [...props.rounds].sort((a, b) => b.startedAtMs - a.startedAtMs).slice(0, 10)
  return (
    <section class="panel checkpoints" aria-label="checkpoints">
      <header>
        <h2>Checkpoints</h2>
      </header>
      {rounds.length === 0 ? <p class="muted">no checkpoint round seen yet</p> : null}
      <ul>
        {rounds.map((r) => (
          <li key={r.key} class={`round ${r.final ? 'final' : 'open'}`}>
            <div>
              <strong>{r.subject}</strong> round {r.round} · {clock(r.startedAtMs)} ·{' '}
              {r.final ? 'final' : r.proposed ? 'voting' : 'votes seen'}
            </div>
            <div class="votes">
              {r.votes.map((v) => (
                <span key={v.name} class={`vote ${v.approved ? 'yes' : 'no'}`}>
                  {v.approved ? '✓' : '≠'} {v.name}
                  {v.proven ? '' : ' (unpinned)'}
                </span>
              ))}
            </div>
            {r.final ? (
              <div class="voters">
                {r.final.voters.map((v) => (
                  <span key={v.id} class={`voter ${v.verified ? 'ok' : 'bad'}`}>
                    {v.verified ? '🔏' : '✗'} {v.name ?? `${v.id.slice(0, 8)}…`}
                  </span>
                ))}
              </div>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  )
}
