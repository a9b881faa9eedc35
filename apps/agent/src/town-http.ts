/**
 * A town's HTTP endpoint: `/status` as `{ town, naras }` (every nara's own document for towns up
 * to {@link DETAILED_MAX}), `/metrics` as the naras' registries merged, and the web page's routes.
 * Broker URLs in it are redacted.
 */
import { AggregatorRegistry } from 'prom-client'
import type { Agent } from './agent.js'
import type { Logger } from './logger.js'
import { createStatusServer, type StatusServer, type StatusServerOptions } from './status-server.js'
import type { TownSummary } from './town-report.js'

/** Above this size `/status` carries the summary only, and plain output is one summary line. */
export const DETAILED_MAX = 50

export interface TownHttpOptions {
  host: string
  port: number
  routes?: StatusServerOptions['routes']
  size: number
  agents: () => readonly Agent[]
  /** The broker in use (redacted), and the configured list (redacted). */
  broker: () => { current: string | undefined; list: readonly string[] }
  summary: () => TownSummary
  logger: Logger
}

/** Starts the town's server; resolves with it and its port. */
export async function serveTown(
  o: TownHttpOptions,
): Promise<{ server: StatusServer; port: number }> {
  const server = createStatusServer({
    host: o.host,
    port: o.port,
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
        await Promise.all(regs.map((r) => r.getMetricsAsJSON())),
      )
      return { contentType: merged.contentType, body: await merged.metrics() }
    },
  })
  const port = await server.start()
  o.logger.info({ url: `http://${o.host}:${port}/status` }, 'town status endpoint listening')
  if (o.routes) o.logger.info({ url: `http://${o.host}:${port}/` }, 'web page of the plaza')
  return { server, port }
}
