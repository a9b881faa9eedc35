/**
 * The default town's show (`town-cadence.ts`): besides what the naras do on their own (joins,
 * howdys, newspapers, checkpoint rounds on the town's cadence), a nara teases another now and
 * then, and one nara at a time says chau and comes back (the same identity: a restart as the
 * others see it). Timers on the injected clock; `stop()` cancels the rest of the script.
 */
import type { Agent } from './agent.js'
import type { Clock, TimerHandle } from './clock.js'
import type { Logger } from './logger.js'
import type { ShowScript } from './town-cadence.js'

/** What the show does to the town's naras, by index (0-based). */
export interface ShowCast {
  size: number
  tease(from: number, to: number): Promise<void>
  /** The nara says chau and stops. */
  leave(index: number): Promise<void>
  /** The nara starts again from its data directory (same soul, same name). */
  comeBack(index: number): Promise<void>
}

export interface TownShow {
  start(): void
  stop(): void
}

export function createTownShow(o: {
  clock: Clock
  script: ShowScript
  cast: ShowCast
  logger: Logger
}): TownShow {
  const { clock, script, cast, logger } = o
  const timers = new Set<TimerHandle>()
  let running = false
  const at = (delayS: number, fn: () => Promise<void>) => {
    const handle = clock.setTimeout(() => {
      timers.delete(handle)
      if (!running) return
      fn().catch((err: unknown) =>
        logger.warn({ err: String(err) }, 'town show: a step failed (the town goes on)'),
      )
    }, delayS * 1000)
    timers.add(handle)
  }

  const tease = (round: number): Promise<void> => {
    at(script.teaseEveryS, () => tease(round + 1))
    const from = round % cast.size
    return cast.tease(from, (from + 1) % cast.size)
  }
  const leave = async (round: number): Promise<void> => {
    at(script.leaveEveryS, () => leave(round + 1))
    // The last nara first: its own checkpoint round comes last.
    const index = cast.size - 1 - (round % cast.size)
    await cast.leave(index)
    at(script.awayS, () => cast.comeBack(index))
  }

  return {
    start() {
      if (running || cast.size < 2) return
      running = true
      at(script.teaseAtS, () => tease(0))
      at(script.leaveAtS, () => leave(0))
    },
    stop() {
      running = false
      for (const handle of timers) clock.clearTimeout(handle)
      timers.clear()
    },
  }
}

/**
 * The cast of a town's naras: `agents` by index (a nara that comes back is a new agent from the
 * same data directory, put in its place); `stopped` are the naras the town stopped, `away` the
 * ones the show sent away.
 */
export function townCast(o: {
  size: number
  agents: Agent[]
  stopped: () => ReadonlySet<Agent>
  away: Set<Agent>
  makeAgent: (index: number) => Agent
}): ShowCast {
  const { agents, away } = o
  return {
    size: o.size,
    async tease(from, to) {
      const target = agents[to]?.identity()?.name
      const teaser = agents[from]
      if (target && teaser && !o.stopped().has(teaser)) await teaser.tease(target, 'random')
    },
    async leave(i) {
      const a = agents[i]
      if (!a || o.stopped().has(a)) return
      away.add(a)
      await a.stop()
    },
    async comeBack(i) {
      const a = agents[i]
      if (!a || !away.has(a) || o.stopped().size > 0) return
      away.delete(a)
      const again = o.makeAgent(i)
      agents[i] = again
      await again.start()
    },
  }
}
