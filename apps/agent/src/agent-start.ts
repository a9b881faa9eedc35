/**
 * The agent's start up to the connect: the identity and run counters, the neighbourhood table
 * and the own view, the plaza, every part wired onto it (inbound handlers, services, join), and
 * the /status endpoint.
 */
import type { NaraStatus } from '@nara/protocol'
import type { AgentDeps, AgentOptions, StatusDocument } from './agent.js'
import type { AgentContext, On } from './agent-context.js'
import { type AgentServices, createServices } from './agent-services.js'
import type { Buzz } from './chattiness.js'
import type { Clock, Random } from './clock.js'
import { createHealth } from './health.js'
import type { Identity, RunState } from './identity-store.js'
import { onCheckpoint } from './inbound-checkpoint.js'
import { onDiagnostics } from './inbound-diagnostics.js'
import { onHowdy } from './inbound-howdy.js'
import { onPresence } from './inbound-presence.js'
import { createJoin, type Join } from './join.js'
import type { Logger } from './logger.js'
import { type AgentMetrics, createMetrics, createProcessMetrics } from './metrics.js'
import { createNeighbourhood } from './neighbourhood.js'
import { createOwnView } from './own-view.js'
import type { PlazaPort } from './plaza-port.js'
import { TS_VERSION } from './presence-keeper.js'
import { createSocial, type Social } from './social.js'
import type { StatusSources } from './status-document.js'
import { createStatusServer, type StatusServer } from './status-server.js'

/** A started agent: its context and the parts wired onto it. */
export interface Running {
  ctx: AgentContext
  services: AgentServices
  join: Join
  social: Social
  sources: () => StatusSources
}

/** The agent's state, filled in by the start. */
export interface Parts {
  log: Logger
  identity: Identity | undefined
  /** Set as soon as created: a stop during the start still closes it. */
  plaza: PlazaPort | undefined
  running: Running | undefined
  server: StatusServer | undefined
  httpPort: number | undefined
  /** Saves the run counters; set once they are loaded. */
  save: (() => Promise<void>) | undefined
  unsubscribe: Array<() => void>
}

/** What the start needs besides the parts. */
export interface Env {
  options: AgentOptions
  deps: AgentDeps
  clock: Clock
  random: Random
  buzz: Buzz
  cpuPercent: () => number
  halting: () => boolean
  status: () => StatusDocument
}

/** Wires the inbound handlers, the services and the join onto the plaza. */
function wire(
  ctx: AgentContext,
  described: ReturnType<AgentDeps['describe']>,
  startedAtMs: number,
  parts: Parts,
  env: Env,
): Running {
  const { options, deps } = env
  const on: On = (kind, listener) => void parts.unsubscribe.push(ctx.plaza.on(kind, listener))
  const social = createSocial(ctx, on)
  const services = createServices(ctx, {
    timings: options.timings,
    howdyBoard: options.howdyBoard,
    afterNewspaper: () => social.maybeTease(described.personality.Sociability),
    saveRunState: deps.runState?.save,
    signOwnProposal: (p) => deps.signProposal(ctx.identity, p),
    howdyAnswers: options.howdyAnswers,
  })
  onPresence(ctx, services.howdy, on)
  onHowdy(ctx, services.howdy, on)
  onCheckpoint(ctx, services.checkpoints, on)
  const conflicts = onDiagnostics(ctx, on)
  const join = createJoin(
    ctx,
    {
      brokerUrl: options.broker.url,
      halting: env.halting,
      onHeyThere: () => services.presence.heyThereSent(),
      onFirstJoin: () => {
        services.presence.start()
        services.newspapers.start()
        services.checkpoints.start()
      },
    },
    on,
  )
  const sources = (): StatusSources => ({
    ctx,
    services,
    flair: described.flair,
    startedAtMs,
    connected: join.connected(),
    recentConflicts: conflicts(),
    recentSocial: social.recent(),
  })
  return { ctx, services, join, social, sources }
}

/** start() up to the connect; returns early once stop() was called. */
export async function prepare(parts: Parts, env: Env): Promise<void> {
  const { options, deps, clock } = env
  const startedAtMs = clock.now()
  const id = await deps.loadIdentity()
  parts.identity = id
  const log = parts.log.child({ nara: id.name })
  parts.log = log
  const described = deps.describe(id)
  let runState: RunState = { firstStartS: 0, starts: 1, totalUptimeS: 0 }
  if (deps.runState) runState = await deps.runState.load(Math.floor(startedAtMs / 1000))
  const table = createNeighbourhood<NaraStatus>({
    me: id.name,
    nowMs: () => clock.now(),
    missingAfterS: options.timings.missingAfterS,
    gossipMissingAfterS: options.timings.gossipMissingAfterS,
    ...(options.neighboursMax === undefined ? {} : { maxEntries: options.neighboursMax }),
  })
  const own = createOwnView({
    identity: id,
    described,
    table,
    clock,
    buzz: env.buzz,
    cpuPercent: env.cpuPercent,
    forcedChattiness: options.chattiness,
    howdyObservationsMax: options.timings.howdyObservationsMax,
    startedAtMs,
    runState,
  })
  // From here on a stop saves the run counters, even when it comes during the start.
  const store = deps.runState
  if (store) parts.save = () => store.save(own.runState())
  if (env.halting()) return
  if (!id.bondValid)
    log.warn(
      { naraId: id.naraId },
      'the soul does not bond to this name (inauthentic); running anyway',
    )
  log.info(
    { naraId: id.naraId, publicKey: id.publicKeyBase64, soulFrom: id.source, version: TS_VERSION },
    'starting nara',
  )
  const metrics = createMetrics({
    name: id.name,
    neighbourCounts: () => table.counts(),
    connected: () => parts.plaza?.connected() === true,
  })
  const plaza = await deps.createPlaza(id, { jitterMaxMs: options.timings.joinJitterMaxMs })
  parts.plaza = plaza
  if (env.halting()) return
  const { random, buzz } = env
  const ctx: AgentContext = { identity: id, log, clock, random, plaza, table, metrics, buzz, own }
  parts.running = wire(ctx, described, startedAtMs, parts, env)
  if (options.http) await serve(options.http, metrics, parts, env)
}

/** `/metrics` of a single nara: its registry, then the process's (default metrics, build info). */
function scrape(m: AgentMetrics): () => Promise<{ contentType: string; body: string }> {
  const processRegistry = createProcessMetrics()
  return async () => ({
    contentType: m.registry.contentType,
    body: (await m.registry.metrics()) + (await processRegistry.metrics()),
  })
}

async function serve(
  http: NonNullable<AgentOptions['http']>,
  m: AgentMetrics,
  parts: Parts,
  env: Env,
): Promise<void> {
  const server = createStatusServer({
    host: http.host,
    port: http.port,
    fallbackPorts: http.fallbackPorts,
    logger: parts.log,
    routes: http.routes,
    status: env.status,
    metrics: scrape(m),
    health: createHealth({
      connected: () => parts.plaza?.connected() === true,
      processed: () => parts.plaza?.inboundSeen() ?? 0,
      nowMs: () => env.clock.now(),
    }),
  })
  parts.server = server
  parts.httpPort = await server.start()
  parts.log.info(
    { url: `http://${http.host}:${parts.httpPort}/status` },
    'status endpoint listening',
  )
  if (http.routes)
    parts.log.info({ url: `http://${http.host}:${parts.httpPort}/` }, 'web page of the plaza')
}
