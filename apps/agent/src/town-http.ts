/**
 * A town's HTTP endpoint: `/status` as `{ town, naras }` (every nara's own document for towns up
 * to {@link DETAILED_MAX}), `/metrics` as the naras' registries merged with the town's own (the
 * process metrics, and `nara_verify_seconds` of the town's receiver, which verifies for all),
 * `/healthz` on the town's receiver, and the web page's routes. Broker URLs in it are redacted.
 */
import type { Receiver } from '@nara/plaza'
import { AggregatorRegistry } from 'prom-client'
import type { Agent } from './agent.js'
import { createHealth, inboundProcessed } from './health.js'
import type { Logger } from './logger.js'
import { createProcessMetrics, verifyHistogram } from './metrics.js'
import { createStatusServer, type StatusServer, type StatusServerOptions } from './status-server.js'
import type { TownSummary } from './town-report.js'

/** Above this size `/status` carries the summary only, and plain output is one summary line. */
export const DETAILED_MAX = 50

export interface TownHttpOptions {
  host: string
  port: number
  /** Ports tried after `port` when it is taken (see `StatusServerOptions`). */
  fallbackPorts?: number | undefined
  routes?: StatusServerOptions['routes']
  size: number
  agents: () => readonly Agent[]
  /** The broker in use (redacted), and the configured list (redacted). */
  broker: () => { current: string | undefined; list: readonly string[] }
  summary: () => TownSummary
  /** The town's receiver: its connection and pipeline are every nara's. */
  receiver: Receiver
  logger: Logger
}

/** Starts the town's server; resolves with it and its port. */
export async function serveTown(
  o: TownHttpOptions,
): Promise<{ server: StatusServer; port: number }> {
  const own = createProcessMetrics()
  const verified = verifyHistogram(own)
  o.receiver.on('verified', ({ count, seconds }) => verified(count, seconds))
  const server = createStatusServer({
    host: o.host,
    port: o.port,
    fallbackPorts: o.fallbackPorts,
    logger: o.logger,
    routes: o.routes,
    status: () => {
      const broker = o.broker()
      return {
        town: { size: o.size, broker: broker.current, brokers: broker.list, summary: o.summary() },
        naras: o.size <= DETAILED_MAX ? o.agents().map((a) => a.status()) : undefined,
      }
    },
    metrics: async () => {
      const regs = o
        .agents()
        .map((a) => a.metrics()?.registry)
        .filter((r) => r !== undefined)
      const merged = AggregatorRegistry.aggregate(
        await Promise.all([own, ...regs].map((r) => r.getMetricsAsJSON())),
      )
      return { contentType: merged.contentType, body: await merged.metrics() }
    },
    health: createHealth({
      connected: () => o.receiver.connected,
      processed: () => inboundProcessed(o.receiver),
      nowMs: () => Date.now(),
    }),
  })
  const port = await server.start()
  o.logger.info({ url: `http://${o.host}:${port}/status` }, 'town status endpoint listening')
  if (o.routes) o.logger.info({ url: `http://${o.host}:${port}/` }, 'web page of the plaza')
  return { server, port }
}
