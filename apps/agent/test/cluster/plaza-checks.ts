/** Conditions over every nara's view of a spread plaza (see spread-plaza.ts). */
import { setTimeout as delay } from 'node:timers/promises'
import { type StatusDoc, stateOf } from '../helpers/agent-process.js'
import type { NaraView, SpreadPlaza } from './spread-plaza.js'

/** True when every view lists every other name of `names` as ONLINE. */
export function allOnline(views: readonly NaraView[], names: readonly string[]): boolean {
  return (
    views.length === names.length &&
    views.every((v) => names.every((n) => n === v.name || stateOf(v.status, n) === 'ONLINE'))
  )
}

/**
 * The checkpoint of one of `subjects` that every nara has accepted as its latest for that
 * subject, or undefined while there is none.
 */
export function finalAcceptedEverywhere(
  views: readonly NaraView[],
  subjects: readonly string[],
): { subject: string; id: string } | undefined {
  for (const subject of subjects) {
    const own = views.find((v) => v.name === subject)?.status.checkpoints
    const id: string | undefined = own?.latest?.[subject]
    if (id === undefined || !(own.finalsPublished >= 1)) continue
    const everywhere = views.every(
      (v: { status: StatusDoc }) => v.status.checkpoints?.latest?.[subject] === id,
    )
    if (everywhere) return { subject, id }
  }
  return undefined
}

/**
 * Records, until `stop()`, every state the other naras give `name` (polling every view), so a
 * test can check that a state never appeared while a fault lasted.
 */
export function watchStates(
  plaza: SpreadPlaza,
  name: string,
): { stop(): void; seen(): Array<{ by: string; state: string }> } {
  const seen: Array<{ by: string; state: string }> = []
  let running = true
  const loop = async () => {
    while (running) {
      try {
        for (const v of await plaza.views()) {
          const state = stateOf(v.status, name)
          if (v.name !== name && state !== undefined) seen.push({ by: v.name, state })
        }
      } catch {
        // a process between two states; read again
      }
      await delay(200)
    }
  }
  void loop()
  return {
    stop: () => {
      running = false
    },
    seen: () => seen,
  }
}
