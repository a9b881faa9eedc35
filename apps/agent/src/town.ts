/**
 * A local town: an embedded aedes broker (unless a broker URL is given) and N naras in this
 * process: one plaza receiver (one MQTT connection, one verified inbound pipeline, the town's
 * key pins in `{dataDir}/town/keyring.json`) and one speaker per nara, each nara with its own
 * data directory, identity, presence view and howdy decisions. The terminal
 * shows a live table, redrawn every second on a TTY (plain periodic lines otherwise), with the
 * latest notable events underneath.
 */
import { join } from 'node:path'
import { createReceiver, type Receiver, type ReceiverOptions } from '@nara/plaza'
import { type Agent, type AgentDeps, createAgent } from './agent.js'
import type { Clock, TimerHandle } from './clock.js'
import { systemClock } from './clock.js'
import type { BrokerConfig, Timings } from './config.js'
import { startEmbeddedBroker } from './embedded-broker.js'
import { createHowdyBoard } from './howdy-coordinator.js'
import { persistentKeyring } from './keyring-file.js'
import type { Logger } from './logger.js'
import { receiverOptions } from './plaza-adapter.js'
import { redactBrokerUrl } from './secrets.js'
import type { StatusServer, StatusServerOptions } from './status-server.js'
import { DETAILED_MAX, serveTown } from './town-http.js'
import { type TownSummary, townRows, townSummary } from './town-report.js'
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

export type { TownSummary }

export interface Town {
  start(): Promise<void>
  stop(): Promise<void>
  agents(): readonly Agent[]
  /** The broker in use, redacted. */
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

  const rows = (): TownRow[] => townRows(agents, stopped)
  const summary = (): TownSummary => townSummary(agents, receiver)
  /** The broker in use (the receiver's, once there), redacted. */
  const currentBroker = () => {
    const url = receiver?.brokerUrl ?? brokerConfig?.url
    return url === undefined ? undefined : redactBrokerUrl(url)
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
    const title = `nara plaza · town of ${options.size} on ${currentBroker() ?? '…'}${page} · Ctrl-C to stop`
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
        { broker: redactBrokerUrl(brokerConfig.url), size: options.size },
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
        const served = await serveTown({
          ...options.http,
          size: options.size,
          agents: () => agents,
          broker: () => ({
            current: currentBroker(),
            list: (brokerConfig?.urls ?? []).map(redactBrokerUrl),
          }),
          summary,
          logger: options.logger,
        })
        server = served.server
        httpPort = served.port
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
    brokerUrl: currentBroker,
    rows,
    summary,
    httpPort: () => httpPort,
  }
}
