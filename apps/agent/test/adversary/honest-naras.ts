/**
 * The honest side of an attack row: a real mosquitto and N real agent processes (one nara each,
 * the built `dist/main.js`), each seeing the others ONLINE before the attack starts. Plus the
 * figures the rows read from them: /status counters and the process's resident memory.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { type MosquittoBroker, startMosquitto } from '@nara/vitest-config/brokers'
import {
  type AgentProcess,
  type StatusDoc,
  spawnAgent,
  stateOf,
  stopAgent,
} from '../helpers/agent-process.js'

export interface HonestNaras {
  readonly broker: MosquittoBroker
  /** The processes: one per nara, or one town holding every nara. */
  readonly agents: readonly AgentProcess[]
  readonly names: readonly string[]
  /** Each nara's own /status document. */
  statuses(): Promise<StatusDoc[]>
  stop(): Promise<void>
}

type Started = Pick<HonestNaras, 'names' | 'statuses'>

/** Starts mosquitto, then `start` (which spawns into `agents`); stops everything if it fails. */
async function onMosquitto(
  start: (broker: MosquittoBroker, agents: AgentProcess[]) => Promise<Started>,
): Promise<HonestNaras> {
  const broker = await startMosquitto()
  const agents: AgentProcess[] = []
  const stop = async () => {
    await Promise.all(agents.map((a) => stopAgent(a)))
    await broker.close()
  }
  try {
    return { broker, agents, ...(await start(broker, agents)), stop }
  } catch (error) {
    await stop()
    throw error
  }
}

/** Starts mosquitto and `count` agents with `env`, and waits until all see each other ONLINE. */
export function startHonestNaras(count: number, env: Record<string, string>) {
  return onMosquitto(async (broker, agents) => {
    for (let i = 0; i < count; i++) agents.push(await spawnAgent({ brokerUrl: broker.url, env }))
    const names: string[] = []
    for (const a of agents) names.push((await a.waitFor((s) => s.me !== null, 30_000)).me.name)
    await Promise.all(
      agents.map((a, i) =>
        a.waitFor((s) => names.every((n, j) => j === i || stateOf(s, n) === 'ONLINE'), 45_000),
      ),
    )
    return { names, statuses: () => Promise.all(agents.map((a) => a.status())) }
  })
}

/**
 * Starts mosquitto and ONE town process of `count` naras (one receiver: one connection, every
 * message verified once) with `env`; waits until every nara sees the others ONLINE.
 */
export function startHonestTown(count: number, env: Record<string, string>) {
  return onMosquitto(async (broker, agents) => {
    const townEnv = { ...env, NARA_MODE: 'town', NARA_TOWN_SIZE: String(count) }
    const town = await spawnAgent({ brokerUrl: broker.url, env: townEnv })
    agents.push(town)
    const docs = (s: StatusDoc): StatusDoc[] => s.naras ?? []
    const named = await town.waitFor(
      (s) => docs(s).length === count && docs(s).every((d) => d.me !== null),
      30_000,
    )
    const names: string[] = docs(named).map((d) => d.me.name)
    await town.waitFor(
      (s) =>
        docs(s).every((d) => names.every((n) => n === d.me.name || stateOf(d, n) === 'ONLINE')),
      45_000,
    )
    return { names, statuses: async () => docs(await town.status()) }
  })
}

/** `/proc/<pid>/status` field in bytes (`VmRSS`, `VmHWM`). Throws off Linux: never skips. */
function procKb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  const text = readFileSync(`/proc/${pid}/status`, 'utf8')
  const m = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(text)
  if (m === null) throw new Error(`no ${field} in /proc/${pid}/status`)
  return Number(m[1]) * 1024
}

/**
 * Resident memory of a process: `start()` resets its peak (`/proc/<pid>/clear_refs` = 5) and
 * reads its RSS; `growth()` is the peak since then minus that RSS, in bytes.
 */
export function memoryWatch(pid: number) {
  let base = 0
  return {
    start() {
      writeFileSync(`/proc/${pid}/clear_refs`, '5')
      base = procKb(pid, 'VmRSS')
      return base
    },
    growth: () => procKb(pid, 'VmHWM') - base,
    rss: () => procKb(pid, 'VmRSS'),
  }
}

/** Sum of a /status message counter over `agents`. */
export function counter(statuses: readonly StatusDoc[], dir: 'in' | 'out', kind: string): number {
  return statuses.reduce((sum, s) => sum + (s.messages?.[dir]?.[kind] ?? 0), 0)
}

export const MB = 1024 * 1024
