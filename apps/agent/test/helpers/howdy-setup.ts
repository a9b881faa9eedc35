/** A howdy coordinator on a fake clock that records its replies (every sender has standing unless `standing` says otherwise). */

import type { Random } from '../../src/clock.js'
import { createHowdyCoordinator, type HowdyReply } from '../../src/howdy-coordinator.js'
import { fakeClock, scriptedRandom } from './fake-clock.js'

export function howdySetup(
  o: {
    random?: Random
    standing?: (name: string, atMs: number) => boolean
    forgetAfterMs?: number
  } = {},
) {
  const clock = fakeClock()
  const replies: HowdyReply[] = []
  const c = createHowdyCoordinator({
    me: 'me',
    clock,
    random: o.random ?? scriptedRandom(0.5),
    hadStanding: o.standing ?? (() => true),
    forgetAfterMs: o.forgetAfterMs,
    respond: (r) => {
      replies.push(r)
      return undefined
    },
  })
  return { clock, replies, c }
}
