/**
 * A local town: an embedded aedes broker (unless a broker URL is given) and N naras in this
 * process: one plaza receiver (`town-plaza.ts`: one MQTT connection, one verified inbound
 * pipeline, the town's key pins in `{dataDir}/town/keyring.json`) and one speaker per nara, each
 * nara with its own data directory, identity, presence view and howdy decisions, started over a
 * ramp (`town-join-ramp.ts`). Every message the town verifies is one line of its event feed
 * (`town-events.ts`). On a TTY the screen (`town-screen.ts`) is redrawn
 * every second, fitted to the terminal: header, table, the latest events. Without a TTY the town
 * writes JSON log lines only: the feed, and the table as a `town table` line now and then. The
 * default town (`show`) runs the show of `town-cadence.ts` / `town-show.ts`.
 */
import { join } from 'node:path'
import type { Receiver, ReceiverOptions } from '@nara/plaza'
import { type Agent, type AgentDeps, createAgent } from './agent.js'
import { type Clock, systemClock } from './clock.js'
import type { BrokerConfig, Timings } from './config.js'
import { createHowdyBoard } from './howdy-coordinator.js'
import type { Logger } from './logger.js'
import { redactBrokerUrl } from './secrets.js'
import type { HttpEndpoint, StatusServer } from './status-server.js'
import { type ShowScript, showTimings } from './town-cadence.js'
import { createTownEvents, type TownEvents } from './town-events.js'
import { serveTown } from './town-http.js'
import { type JoinRamp, joinRamp, joinRampGapMs } from './town-join-ramp.js'
import { drawTown, type TownOutputOptions } from './town-output.js'
import { type TownBroker, townBroker, townReceiver } from './town-plaza.js'
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
  return new LocalTown(options, makeDeps)
}

/** A town in this process; each part is kept as soon as it exists, so stop() stops what is there. */
class LocalTown implements Town {
  readonly #options: TownOptions
  readonly #makeDeps: (dataDir: string, broker: BrokerConfig, receiver: Receiver) => AgentDeps
  readonly #clock: Clock
  readonly #tty: boolean
  readonly #agents: Agent[] = []
  // Howdys sent by this town's naras count at once for the others (one answer round per newcomer).
  readonly #howdyBoard = createHowdyBoard()
  #stopped = new Set<Agent>()
  /** Naras the show sent away (stopped until they come back). */
  readonly #away = new Set<Agent>()
  readonly #ramp: JoinRamp
  readonly #output: TownOutputOptions
  #broker: TownBroker | undefined
  #receiver: Receiver | undefined
  #flushPins: (() => Promise<void>) | undefined
  #events: TownEvents | undefined
  #server: StatusServer | undefined
  #httpPort: number | undefined
  #timer: NodeJS.Timeout | undefined
  #show: TownShow | undefined

  constructor(
    options: TownOptions,
    makeDeps: (dataDir: string, broker: BrokerConfig, receiver: Receiver) => AgentDeps,
  ) {
    this.#options = options
    this.#makeDeps = makeDeps
    this.#clock = options.clock ?? systemClock
    this.#tty = Boolean(options.out.isTTY)
    this.#ramp = joinRamp(this.#clock)
    this.#output = {
      ...options,
      clock: this.#clock,
      show: options.show,
      where: () => this.#where(),
      rows: () => this.rows(),
      summary: () => this.summary(),
      events: () => this.#events?.lines() ?? [],
      warnings: () => options.recentLines?.() ?? [],
    }
  }

  async start(): Promise<void> {
    const receiver = await this.#connect()
    for (let i = 0; i < this.#options.size; i++) this.#agents.push(this.#makeAgent(i))
    if (this.#options.http) await this.#serve(this.#options.http, receiver)
    const every = this.#tty ? 1000 : (this.#options.plainEveryS ?? 10) * 1000
    this.#timer = setInterval(() => this.#draw(), every)
    const gapMs = joinRampGapMs(this.#options.size, this.#options.joinRampMs)
    const starts = await this.#ramp.run(this.#agents, gapMs, () => this.#stopped.size > 0)
    if (this.#options.show && this.#stopped.size === 0) this.#startShow(this.#options.show)
    await Promise.all(starts)
  }

  async stop(): Promise<void> {
    if (this.#timer) clearInterval(this.#timer)
    this.#show?.stop()
    this.#stopped = new Set(this.#agents)
    this.#ramp.cancel()
    await Promise.all(this.#agents.map((a) => a.stop()))
    this.#options.logger.info({}, 'town: every nara said chau')
    this.#events?.close()
    await this.#receiver?.stop()
    await this.#flushPins?.()
    await this.#server?.stop()
    await this.#broker?.embedded?.close()
    if (this.#tty) this.#draw()
  }

  agents(): readonly Agent[] {
    return this.#agents
  }

  /** The broker in use (the receiver's, once there), redacted. */
  brokerUrl(): string | undefined {
    const url = this.#receiver?.brokerUrl ?? this.#broker?.config.url
    return url === undefined ? undefined : redactBrokerUrl(url)
  }

  rows(): TownRow[] {
    return townRows(this.#agents, new Set([...this.#stopped, ...this.#away]))
  }

  summary(): TownSummary {
    return townSummary(this.#agents, this.#receiver)
  }

  httpPort(): number | undefined {
    return this.#httpPort
  }

  /** The broker, then the town's receiver and its event feed; resolves once it started. */
  async #connect(): Promise<Receiver> {
    const o = this.#options
    this.#broker = await townBroker(o.broker)
    const broker = this.#broker.config
    o.logger.info(
      { broker: redactBrokerUrl(broker.url), size: o.size },
      'town: broker ready, starting naras',
    )
    const plaza = await townReceiver({ ...o, broker })
    this.#flushPins = plaza.flushPins
    const receiver = plaza.receiver
    this.#receiver = receiver
    this.#events = createTownEvents({ receiver, clock: this.#clock, logger: o.logger, max: 200 })
    await receiver.start()
    return receiver
  }

  /** Nara `i` (0-based), on the town's cadences. */
  #makeAgent(i: number): Agent {
    const o = this.#options
    const dataDir = join(o.dataDir, 'town', `nara-${i + 1}`)
    const timings = o.show ? showTimings(o.timings, i, o.size, o.show) : o.timings
    const broker = this.#broker!.config
    return createAgent(
      {
        broker,
        dataDir,
        chattiness: o.chattiness,
        timings,
        http: undefined,
        logger: o.logger,
        howdyBoard: this.#howdyBoard,
      },
      this.#makeDeps(dataDir, broker, this.#receiver!),
    )
  }

  async #serve(http: HttpEndpoint, receiver: Receiver): Promise<void> {
    const served = await serveTown({
      ...http,
      size: this.#options.size,
      agents: () => this.#agents,
      broker: () => ({
        current: this.brokerUrl(),
        list: (this.#broker?.config.urls ?? []).map(redactBrokerUrl),
      }),
      summary: () => this.summary(),
      receiver,
      logger: this.#options.logger,
    })
    this.#server = served.server
    this.#httpPort = served.port
  }

  #startShow(script: ShowScript): void {
    const cast = townCast({
      size: this.#options.size,
      agents: this.#agents,
      stopped: () => this.#stopped,
      away: this.#away,
      makeAgent: (i) => this.#makeAgent(i),
    })
    this.#show = createTownShow({ clock: this.#clock, script, cast, logger: this.#options.logger })
    this.#show.start()
  }

  #where(): ReturnType<TownOutputOptions['where']> {
    const http = this.#options.http
    return {
      broker: this.brokerUrl(),
      http: this.#httpPort === undefined ? undefined : `http://${http?.host}:${this.#httpPort}`,
      page: Boolean(http?.routes),
    }
  }

  #draw(): void {
    drawTown(this.#output)
  }
}
