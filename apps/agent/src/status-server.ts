/**
 * The operator's HTTP endpoint (node:http, localhost by default):
 * `GET /status` -> JSON (me, neighbourhood, drop counters), `GET /metrics` -> Prometheus text,
 * `GET /healthz` -> 200 or 503 with a small JSON body (see `health.ts`), and the routes given in
 * `routes` (the web page of the plaza at `/`, see `web-view.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Logger } from './logger.js'
import { StartupError } from './startup-error.js'

export interface StatusServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  /**
   * When `port` is taken (another nara on this host), the next `fallbackPorts` ports are tried,
   * then any free one. 0 (an explicit `NARA_HTTP_PORT`): a taken port fails the start.
   */
  fallbackPorts?: number | undefined
  /** Told when the server listens on another port than `port`. */
  logger?: Pick<Logger, 'warn'>
  status: () => unknown
  metrics: () => Promise<{ contentType: string; body: string }>
  /** `/healthz`: 200 when `ok`, 503 otherwise; the report is the body. */
  health: () => { ok: boolean }
  /** More routes, asked first: `handle` answers and returns true for its own paths. */
  routes?: { handle(req: IncomingMessage, res: ServerResponse): boolean } | undefined
}

/** Where an agent or a town serves its endpoint, and the routes it adds (the web page). */
export interface HttpEndpoint {
  host: string
  port: number
  /** Ports tried after `port` when it is taken (see {@link StatusServerOptions}). */
  fallbackPorts?: number
  routes?: StatusServerOptions['routes']
}

export interface StatusServer {
  /** Starts listening; resolves with the bound port. */
  start(): Promise<number>
  stop(): Promise<void>
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)

/** The ports to try, in order: `port`, then its fallbacks, then any free port (0). */
function candidatePorts(o: Pick<StatusServerOptions, 'port' | 'fallbackPorts'>): number[] {
  const n = o.port === 0 ? 0 : (o.fallbackPorts ?? 0)
  const next = Array.from({ length: n }, (_, i) => o.port + 1 + i).filter((p) => p <= 65535)
  return n > 0 ? [o.port, ...next, 0] : [o.port]
}

function listenOn(server: Server, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve((server.address() as AddressInfo).port)
    })
  })
}

/** Listens on the first port of `ports` that is free; a failure names the variable to change. */
async function listenFirstFree(server: Server, host: string, ports: number[]): Promise<number> {
  for (const [i, port] of ports.entries()) {
    try {
      return await listenOn(server, host, port)
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code
      if (code === 'EADDRINUSE' && i < ports.length - 1) continue
      if (code === 'EADDRINUSE')
        throw new StartupError(
          `NARA_HTTP_PORT: port ${port} on ${host} is already in use (another nara?); choose a free port, or leave NARA_HTTP_PORT unset to take the next free one`,
        )
      if (code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND' || code === 'EAI_AGAIN')
        throw new StartupError(
          `NARA_HTTP_HOST: cannot listen on "${host}" (not an address of this host); use 127.0.0.1, 0.0.0.0 or one of this host's addresses`,
        )
      if (code === 'EACCES')
        throw new StartupError(
          `NARA_HTTP_PORT: port ${port} on ${host} needs privileges (permission denied); use a port above 1023`,
        )
      throw err
    }
  }
  throw new Error('no port to listen on')
}

export function createStatusServer(options: StatusServerOptions): StatusServer {
  let server: Server | undefined
  return {
    async start() {
      server = createServer((req, res) => {
        if (options.routes?.handle(req, res)) return
        const path = (req.url ?? '/').split('?')[0]
        if (req.method !== 'GET') {
          res.writeHead(405).end()
          return
        }
        if (path === '/status') {
          let body: string
          try {
            body = json(options.status())
          } catch (err) {
            res.writeHead(500, { 'content-type': 'text/plain' }).end(String((err as Error).message))
            return
          }
          res.writeHead(200, { 'content-type': 'application/json' }).end(body)
          return
        }
        if (path === '/healthz') {
          const report = options.health()
          res
            .writeHead(report.ok ? 200 : 503, { 'content-type': 'application/json' })
            .end(json(report))
          return
        }
        if (path === '/metrics') {
          options.metrics().then(
            (m) => res.writeHead(200, { 'content-type': m.contentType }).end(m.body),
            (err: unknown) => res.writeHead(500).end(String((err as Error).message)),
          )
          return
        }
        res
          .writeHead(404, { 'content-type': 'text/plain' })
          .end('try / (the page), /status, /metrics or /healthz\n')
      })
      const port = await listenFirstFree(server, options.host, candidatePorts(options))
      if (options.port !== 0 && port !== options.port)
        options.logger?.warn(
          { port: options.port, url: `http://${options.host}:${port}/status` },
          'status port taken (another nara on this host?); listening on the next free one',
        )
      return port
    },
    stop() {
      const s = server
      server = undefined
      if (!s) return Promise.resolve()
      return new Promise((resolve) => {
        s.close(() => resolve())
        s.closeAllConnections()
      })
    },
  }
}
