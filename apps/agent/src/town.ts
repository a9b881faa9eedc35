/**
 * A local town: an embedded aedes broker (unless a broker URL is given) and N naras in this
 * process: one plaza receiver (one MQTT connection, one verified inbound pipeline, the town's
 * key pins in `{dataDir}/town/keyring.json`) and one speaker per nara, each nara with its own
 * data directory, identity, presence view and howdy decisions. The terminal
 * shows a live table, redrawn every second on a TTY (plain periodic lines otherwise), with the
 * latest notable events underneath.
 */
import { join } from 'node:path'
import {
  createReceiver,
  type PlazaCounters,
  type Receiver,
  type ReceiverOptions,
} from '@nara/plaza'
import { AggregatorRegistry } from 'prom-client'
import { type Agent, type AgentDeps, createAgent } from './agent.js'
import type { Clock, TimerHandle } from './clock.js'
import { systemClock } from './clock.js'
import type { BrokerConfig, Timings } from './config.js'
import { startEmbeddedBroker } from './embedded-broker.js'
import { createHowdyBoard } from './howdy-coordinator.js'
import { persistentKeyring } from './keyring-file.js'
import type { Logger } from './logger.js'
import { receiverOptions } from './plaza-adapter.js'
import { createStatusServer, type StatusServer, type StatusServerOptions } from './status-server.js'
import { renderTownTable, type TownRow } from './town-table.js'

export interface TownOptions {
  size: number
  /** Each nara lives in `{dataDir}/town/nara-{i}`. */
  dataDir: string
  /** External broker; undefined = embedded aedes on a free localhost port. */
  broker: BrokerConfig | undefined
  chattiness: number
  timings: Timings
  /** The town's /status and /metrics (and `routes`: the web page at `/`). */
  http: { host: string; port: number; routes?: StatusServerOptions['routes'] } | undefined
  /** Called with the town's receiver before it connects (the web page watches through it). */
  onReceiver?: (receiver: Receiver) => void
  logger: Logger
  /** Where the table goes. */
  out: NodeJS.WritableStream & { isTTY?: boolean }
  /** True once `out` failed (EPIPE/EIO, closed terminal): the table is no longer drawn. */
  outClosed?: () => boolean
  color: boolean
  /** Recent log lines to show under the table (TTY mode). */
  recentLines?: () => string[]
  /** Seconds between plain table prints when not on a TTY. */
  plainEveryS?: number
  /** Gap between two naras' starts, ms. Default 100 ms above 20 naras, 0 otherwise. */
  joinRampMs?: number | undefined
  /** Receiver options to override (bench: rate limits). */
  receiverOverrides?: Partial<ReceiverOptions>
  clock?: Clock
}

/** Town-wide figures for `/status` (`town.summary`) and the bench; cheap at any size. */
export interface TownSummary {
  /** Naras started / naras with an identity. */
  naras: number
  /** Smallest and largest count of ONLINE neighbours any nara sees. */
  minOnlineSeen: number
  maxOnlineSeen: number
  /** Sums over the naras (own messages excluded from `*In`). */
  newspapersOut: number
  newspapersIn: number
  howdysOut: number
  howdysIn: number
  heyTheresOut: number
  drops: Record<string, number>
  /** Drops by `reason kind: detail` (see the agent's metrics). */
  dropDetails: Record<string, number>
  /** The town's receiver: its broker, and its counters (every message verified once). */
  receiver:
    | {
        brokerUrl: string
        connected: boolean
        counters: Pick<
          PlazaCounters,
          'connects' | 'verifications' | 'received' | 'accepted' | 'dropped' | 'own'
        >
      }
    | undefined
  rssBytes: number
  heapUsedBytes: number
  cpuUserMs: number
  cpuSystemMs: number
  uptimeS: number
}

/** Above this size `/status` carries the summary only, and plain output is one summary line. */
const DETAILED_MAX = 50

export interface Town {
  start(): Promise<void>
  stop(): Promise<void>
  agents(): readonly Agent[]
  brokerUrl(): string | undefined
  rows(): TownRow[]
  summary(): TownSummary
  httpPort(): number | undefined
}

export function createTown(
  options: TownOptions,
  makeDeps: (dataDir: string, broker: BrokerConfig, receiver: Receiver) => AgentDeps,
): Town {
  const clock = options.clock ?? systemClock
  const agents: Agent[] = []
  // Howdys sent by this town's naras count at once for the others (one answer round per newcomer).
  const howdyBoard = createHowdyBoard()
  let broker: { url: string; close: () => Promise<void> } | undefined
  let receiver: Receiver | undefined
  let flushPins: (() => Promise<void>) | undefined
  let brokerConfig: BrokerConfig | undefined
  let timer: NodeJS.Timeout | undefined
  let server: StatusServer | undefined
  let httpPort: number | undefined
  let stopped = new Set<Agent>()
  /** The pending step of the join ramp, cancelled by stop(). */
  let ramp: { timer: TimerHandle; wake: () => void } | undefined
  const tty = Boolean(options.out.isTTY)

  const rows = (): TownRow[] => {
    const live = agents.filter((a) => a.identity() !== undefined)
    return live.map((a) => {
      const name = a.identity()!.name
      const others = live.filter((b) => b !== a && !stopped.has(b))
      let seenOnlineBy = 0
      let lastHeartbeatMs: number | undefined
      for (const b of others) {
        const n = b.neighbourhood()?.get(name)
        if (n?.state === 'ONLINE') seenOnlineBy += 1
        if (
          n?.lastNewspaperMs !== undefined &&
          (lastHeartbeatMs === undefined || n.lastNewspaperMs > lastHeartbeatMs)
        ) {
          lastHeartbeatMs = n.lastNewspaperMs
        }
      }
      const counts = a.neighbourhood()?.counts() ?? { ONLINE: 0, OFFLINE: 0, MISSING: 0 }
      const snap = a.metrics()?.snapshot()
      const sum = (m: Record<string, number> | undefined) =>
        Object.values(m ?? {}).reduce((x, y) => x + y, 0)
      return {
        name,
        running: !stopped.has(a),
        seenOnlineBy,
        others: others.length,
        lastHeartbeatMs,
        onlineNeighbours: counts.ONLINE,
        knownNeighbours: counts.ONLINE + counts.OFFLINE + counts.MISSING,
        verified: sum(snap?.in),
        dropped: sum(snap?.drops),
        sent: sum(snap?.out),
      }
    })
  }

  const summary = (): TownSummary => {
    let minOnlineSeen = Number.POSITIVE_INFINITY
    let maxOnlineSeen = 0
    let naras = 0
    const s = { newspapersOut: 0, newspapersIn: 0, howdysOut: 0, howdysIn: 0, heyTheresOut: 0 }
    const drops: Record<string, number> = {}
    const dropDetails: Record<string, number> = {}
    for (const a of agents) {
      const nh = a.neighbourhood()
      const snap = a.metrics()?.snapshot()
      if (!nh || !snap) continue
      naras += 1
      const online = nh.counts().ONLINE
      minOnlineSeen = Math.min(minOnlineSeen, online)
      maxOnlineSeen = Math.max(maxOnlineSeen, online)
      s.newspapersOut += snap.out.newspaper ?? 0
      s.newspapersIn += snap.in.newspaper ?? 0
      s.howdysOut += snap.out.howdy ?? 0
      s.howdysIn += snap.in.howdy ?? 0
      s.heyTheresOut += snap.out.hey_there ?? 0
      for (const [k, v] of Object.entries(snap.drops)) drops[k] = (drops[k] ?? 0) + v
      for (const [k, v] of Object.entries(snap.dropDetails)) {
        dropDetails[k] = (dropDetails[k] ?? 0) + v
      }
    }
    const mem = process.memoryUsage()
    const cpu = process.cpuUsage()
    const c = receiver?.counters()
    return {
      receiver:
        receiver && c
          ? {
              brokerUrl: receiver.brokerUrl,
              connected: receiver.connected,
              counters: {
                connects: c.connects,
                verifications: c.verifications,
                received: c.received,
                accepted: c.accepted,
                dropped: c.dropped,
                own: c.own,
              },
            }
          : undefined,
      naras,
      minOnlineSeen: naras === 0 ? 0 : minOnlineSeen,
      maxOnlineSeen,
      ...s,
      drops,
      dropDetails,
      rssBytes: mem.rss,
      heapUsedBytes: mem.heapUsed,
      cpuUserMs: cpu.user / 1000,
      cpuSystemMs: cpu.system / 1000,
      uptimeS: process.uptime(),
    }
  }

  const draw = () => {
    if (options.outClosed?.()) return
    if (!tty && options.size > DETAILED_MAX) {
      const s = summary()
      options.out.write(
        `${new Date(clock.now()).toISOString()} town of ${options.size}: ${s.naras} running, each sees ${s.minOnlineSeen}-${s.maxOnlineSeen} ONLINE, newspapers ${s.newspapersOut} out / ${s.newspapersIn} in, howdys ${s.howdysOut} out, rss ${Math.round(s.rssBytes / 2 ** 20)} MB\n`,
      )
      return
    }
    const table = renderTownTable(rows(), {
      nowMs: clock.now(),
      color: options.color,
      maxRows: tty ? Math.max(5, (process.stdout.rows ?? 40) - 18) : undefined,
    })
    const page =
      options.http?.routes && httpPort !== undefined
        ? ` · page http://${options.http.host}:${httpPort}/`
        : ''
    const title = `nara plaza · town of ${options.size} on ${brokerConfig ? brokerConfig.url : '…'}${page} · Ctrl-C to stop`
    if (tty) {
      const recent = options.recentLines?.() ?? []
      options.out.write(
        `\x1b[H\x1b[2J${title}\n\n${table}\n\nrecent events:\n${recent.join('\n')}\n`,
      )
    } else {
      options.out.write(`${new Date(clock.now()).toISOString()} ${title}\n${table}\n`)
    }
  }

  return {
    async start() {
      if (options.broker) brokerConfig = options.broker
      else {
        broker = await startEmbeddedBroker()
        brokerConfig = {
          urls: [broker.url],
          url: broker.url,
          username: undefined,
          password: undefined,
          caFile: undefined,
          tlsInsecure: false,
        }
      }
      options.logger.info(
        { broker: brokerConfig.url, size: options.size },
        'town: broker ready, starting naras',
      )
      const pins = await persistentKeyring(join(options.dataDir, 'town'), options.logger, 5000)
      flushPins = pins.flush
      receiver = createReceiver(
        { ...receiverOptions(brokerConfig, pins.keyring), ...options.receiverOverrides },
        { logger: options.logger.child({ component: 'plaza' }) },
      )
      options.onReceiver?.(receiver)
      await receiver.start()
      for (let i = 1; i <= options.size; i++) {
        const dataDir = join(options.dataDir, 'town', `nara-${i}`)
        agents.push(
          createAgent(
            {
              broker: brokerConfig,
              dataDir,
              chattiness: options.chattiness,
              timings: options.timings,
              http: undefined,
              logger: options.logger,
              howdyBoard,
            },
            makeDeps(dataDir, brokerConfig, receiver),
          ),
        )
      }
      if (options.http) {
        server = createStatusServer({
          host: options.http.host,
          port: options.http.port,
          routes: options.http.routes,
          status: () => ({
            town: {
              size: options.size,
              broker: brokerConfig?.url,
              summary: summary(),
            },
            naras: options.size <= DETAILED_MAX ? agents.map((a) => a.status()) : undefined,
          }),
          metrics: async () => {
            const regs = agents.map((a) => a.metrics()?.registry).filter((r) => r !== undefined)
            const merged = AggregatorRegistry.aggregate(
              await Promise.all(regs.map((r) => r.getMetricsAsJSON())),
            )
            return { contentType: merged.contentType, body: await merged.metrics() }
          },
        })
        httpPort = await server.start()
        options.logger.info(
          { url: `http://${options.http.host}:${httpPort}/status` },
          'town status endpoint listening',
        )
        if (options.http.routes)
          options.logger.info(
            { url: `http://${options.http.host}:${httpPort}/` },
            'web page of the plaza',
          )
      }
      const every = tty ? 1000 : (options.plainEveryS ?? 10) * 1000
      timer = setInterval(draw, every)
      // Large towns join over a ramp (100 ms apart by default) so the howdy rounds do not all
      // overlap. One timer at a time, on the clock; stop() cancels the rest of the ramp.
      const rampMs = options.joinRampMs ?? (options.size > 20 ? 100 : 0)
      const starts: Promise<void>[] = []
      for (const [i, a] of agents.entries()) {
        if (stopped.size > 0) break
        if (rampMs && i > 0) {
          await new Promise<void>((wake) => {
            ramp = { timer: clock.setTimeout(wake, rampMs), wake }
          })
          ramp = undefined
          if (stopped.size > 0) break
        }
        starts.push(a.start())
      }
      await Promise.all(starts)
    },
    async stop() {
      if (timer) clearInterval(timer)
      stopped = new Set(agents)
      if (ramp) {
        clock.clearTimeout(ramp.timer)
        ramp.wake()
      }
      await Promise.all(agents.map((a) => a.stop()))
      options.logger.info({}, 'town: every nara said chau')
      await receiver?.stop()
      await flushPins?.()
      await server?.stop()
      await broker?.close()
      if (tty) draw()
    },
    agents: () => agents,
    brokerUrl: () => brokerConfig?.url,
    rows,
    summary,
    httpPort: () => httpPort,
  }
}
