/**
 * A plaza spread over several brokers: one single-nara agent process per broker URL, plus a town
 * of naras on one of them, all real processes. Used by the NATS cluster and mosquitto star tests.
 */
import { setTimeout as delay } from 'node:timers/promises'
import {
  type AgentProcess,
  type StatusDoc,
  spawnAgent,
  stopAgent,
} from '../helpers/agent-process.js'

/** Timings for a plaza that spans brokers: newspapers every 2 s, checkpoints every 10 s. */
export const SPREAD_ENV: Record<string, string> = {
  NARA_NEWSPAPER_PERIOD_S: '2',
  NARA_MISSING_AFTER_S: '15',
  NARA_CHECKPOINT_EVERY_S: '10',
  NARA_CHECKPOINT_CHECK_S: '1',
  NARA_CHECKPOINT_VOTE_WINDOW_S: '6',
  NARA_CHECKPOINT_MIN_PEERS: '4',
  NARA_CHECKPOINT_FINAL_MIN_VALID: '3',
}

/** One nara's view, whether it runs alone or in the town. */
export interface NaraView {
  name: string
  /** Index of the broker URL its process is connected to. */
  broker: number
  status: StatusDoc
}

export interface SpreadPlaza {
  /** `singles[i]` is connected to `urls[i]`. */
  readonly singles: readonly AgentProcess[]
  readonly town: AgentProcess
  /** Every nara's name, singles first (in broker order), then the town's. */
  readonly names: readonly string[]
  /** Every nara's current view (one /status read per process). */
  views(): Promise<NaraView[]>
  /** Polls {@link views} until `predicate` holds; throws with the last views after `timeoutMs`. */
  waitViews(predicate: (views: NaraView[]) => boolean, timeoutMs?: number): Promise<NaraView[]>
  stop(): Promise<void>
}

export async function startSpreadPlaza(options: {
  urls: readonly string[]
  /** Broker index of the town. */
  townAt: number
  townSize: number
}): Promise<SpreadPlaza> {
  const singles: AgentProcess[] = []
  let town: AgentProcess | undefined
  const stop = async () => {
    await Promise.all([...singles, town].map((a) => stopAgent(a)))
  }
  try {
    for (const url of options.urls)
      singles.push(await spawnAgent({ brokerUrl: url, env: SPREAD_ENV }))
    town = await spawnAgent({
      brokerUrl: options.urls[options.townAt] as string,
      env: { ...SPREAD_ENV, NARA_MODE: 'town', NARA_TOWN_SIZE: String(options.townSize) },
    })
  } catch (err) {
    await stop()
    throw err
  }
  const theTown = town
  const names: string[] = []
  for (const a of singles) names.push((await a.waitFor((s) => s.me !== null, 60_000)).me.name)
  const townDoc = await theTown.waitFor(
    (s) => s.naras?.length === options.townSize && s.naras.every((n: StatusDoc) => n.me !== null),
    60_000,
  )
  names.push(...townDoc.naras.map((n: StatusDoc) => n.me.name as string))

  const views = async (): Promise<NaraView[]> => {
    const out: NaraView[] = []
    for (const [i, a] of singles.entries()) {
      if (!a.alive()) continue
      const status = await a.status()
      out.push({ name: status.me.name, broker: i, status })
    }
    const t = await theTown.status()
    for (const n of t.naras ?? []) {
      if (n.me !== null) out.push({ name: n.me.name, broker: options.townAt, status: n })
    }
    return out
  }
  const waitViews = async (predicate: (v: NaraView[]) => boolean, timeoutMs = 90_000) => {
    const deadline = Date.now() + timeoutMs
    let last: NaraView[] = []
    for (;;) {
      try {
        last = await views()
        if (predicate(last)) return last
      } catch {
        // a process between two states; read again
      }
      if (Date.now() > deadline) {
        const summary = last.map((v) => ({
          name: v.name,
          broker: v.broker,
          connected: v.status.me?.connected,
          neighbours: v.status.neighbourhood?.map((n: StatusDoc) => `${n.name}:${n.state}`),
        }))
        throw new Error(`condition not reached in ${timeoutMs} ms:\n${JSON.stringify(summary)}`)
      }
      await delay(250)
    }
  }
  return { singles, town: theTown, names, views, waitViews, stop }
}
