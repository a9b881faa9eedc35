/**
 * A local town: an embedded aedes broker (unless a broker URL is given) and N naras in this
 * process: one plaza receiver (one MQTT connection, one verified inbound pipeline, the town's
 * key pins in `{dataDir}/town/keyring.json`) and one speaker per nara, each nara with its own
 * data directory, identity, presence view and howdy decisions. Every message the town verifies is
 * one line of its event feed (`town-events.ts`). On a TTY the screen (`town-screen.ts`) is redrawn
 * every second, fitted to the terminal: header, table, the latest events. Without a TTY the town
 * writes JSON log lines only: the feed, and the table as a `town table` line now and then. The
 * default town (`show`) runs the show of `town-cadence.ts` / `town-show.ts`.
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
import { type Logger, plazaLogger } from './logger.js'
import { receiverOptions } from './broker-connection.js'
import { redactBrokerUrl } from './secrets.js'
import type { HttpEndpoint, StatusServer } from './status-server.js'
import { type ShowScript, showTimings } from './town-cadence.js'
import { createTownEvents, type TownEvents } from './town-events.js'
import { serveTown } from './town-http.js'
import { drawTown, type TownOutputOptions } from './town-output.js'
import { type TownSummary, townRows, townSummary } from './town-report.js'
import { createTownShow, type TownShow, townCast } from './town-show.js'
import type { TownRow } from './town-table.js'

export interface TownOptions {
  size: number
  /** Each nara lives in `{dataDir}/town/nara-{i}`. */
  dataDir: string
  /** External broker; undefined = embedded aedes on a free localhost port. */
  broker: BrokerConfig | undefined
  chattiness: number
  timings: Timings
  /** The town's /status and /metrics (and `routes`: the web page at `/`). */
  http: HttpEndpoint | undefined
  /** Called with the town's receiver before it connects (the web page watches through it). */
  onReceiver?: (receiver: Receiver) => void
  logger: Logger
  /** Where the screen goes (on a TTY; otherwise the town only logs). */
  out: NodeJS.WritableStream & { isTTY?: boolean; columns?: number; rows?: number }
  /** True once `out` failed (EPIPE/EIO, closed terminal): the table is no longer drawn. */
  outClosed?: () => boolean
  color: boolean
  /** Recent warnings to show under the events (TTY mode). */
  recentLines?: () => string[]
  /** Seconds between two `town table` log lines when not on a TTY. */
  plainEveryS?: number
  /**
   * The show of the default town (`town-cadence.ts`): shortened checkpoint cadences, teases, a
   * nara that leaves and comes back. Undefined = Go's cadences, no script (tests, bench).
   */
  show?: ShowScript
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
  /** Naras the show sent away (stopped until they come back). */
  const away = new Set<Agent>()
  let events: TownEvents | undefined
  let show: TownShow | undefined
  /** The pending step of the join ramp, cancelled by stop(). */
  let ramp: { timer: TimerHandle; wake: () => void } | undefined
  const tty = Boolean(options.out.isTTY)

  const rows = (): TownRow[] => townRows(agents, new Set([...stopped, ...away]))
  const summary = (): TownSummary => townSummary(agents, receiver)
  /** The broker in use (the receiver's, once there), redacted. */
  const currentBroker = () => {
    const url = receiver?.brokerUrl ?? brokerConfig?.url
    return url === undefined ? undefined : redactBrokerUrl(url)
  }

  const output: TownOutputOptions = {
    ...options,
    clock,
    show: options.show,
    where: () => ({
      broker: currentBroker(),
      http: httpPort === undefined ? undefined : `http://${options.http?.host}:${httpPort}`,
      page: Boolean(options.http?.routes),
    }),
    rows,
    summary,
    events: () => events?.lines() ?? [],
    warnings: () => options.recentLines?.() ?? [],
  }
  const draw = () => drawTown(output)

  /** Nara `i` (0-based), on the town's cadences. */
  const makeAgent = (i: number): Agent => {
    const dataDir = join(options.dataDir, 'town', `nara-${i + 1}`)
    const timings = options.show
      ? showTimings(options.timings, i, options.size, options.show)
      : options.timings
    return createAgent(
      {
        broker: brokerConfig!,
        dataDir,
        chattiness: options.chattiness,
        timings,
        http: undefined,
        logger: options.logger,
        howdyBoard,
      },
      makeDeps(dataDir, brokerConfig!, receiver!),
    )
  }

  const cast = townCast({
    size: options.size,
    agents,
    stopped: () => stopped,
    away,
    makeAgent,
  })

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
        { logger: plazaLogger(options.logger.child({ component: 'plaza' })) },
      )
      options.onReceiver?.(receiver)
      events = createTownEvents({ receiver, clock, logger: options.logger, max: 200 })
      await receiver.start()
      for (let i = 0; i < options.size; i++) agents.push(makeAgent(i))
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
          receiver,
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
      if (options.show && stopped.size === 0) {
        show = createTownShow({ clock, script: options.show, cast, logger: options.logger })
        show.start()
      }
      await Promise.all(starts)
    },
    async stop() {
      if (timer) clearInterval(timer)
      show?.stop()
      stopped = new Set(agents)
      if (ramp) {
        clock.clearTimeout(ramp.timer)
        ramp.wake()
      }
      await Promise.all(agents.map((a) => a.stop()))
      options.logger.info({}, 'town: every nara said chau')
      events?.close()
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
