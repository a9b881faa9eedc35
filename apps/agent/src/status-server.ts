/**
 * The operator's HTTP endpoint (node:http, localhost by default):
 * `GET /status` -> JSON (me, neighbourhood, drop counters), `GET /metrics` -> Prometheus text,
 * `GET /healthz` -> 200 or 503 with a small JSON body (see `health.ts`), and the routes given in
 * `routes` (the web page of the plaza at `/`, see `web-view.ts`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http'
import type { AddressInfo } from 'node:net'

export interface StatusServerOptions {
  host: string
  /** 0 picks a free port. */
  port: number
  status: () => unknown
  metrics: () => Promise<{ contentType: string; body: string }>
  /** `/healthz`: 200 when `ok`, 503 otherwise; the report is the body. */
  health: () => { ok: boolean }
  /** More routes, asked first: `handle` answers and returns true for its own paths. */
  routes?: { handle(req: IncomingMessage, res: ServerResponse): boolean } | undefined
}

export interface StatusServer {
  /** Starts listening; resolves with the bound port. */
  start(): Promise<number>
  stop(): Promise<void>
}

const json = (value: unknown) =>
  JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v), 2)

export function createStatusServer(options: StatusServerOptions): StatusServer {
  let server: Server | undefined
  return {
    start() {
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
      const s = server
      return new Promise((resolve, reject) => {
        s.once('error', reject)
        s.listen(options.port, options.host, () => {
          s.off('error', reject)
          resolve((s.address() as AddressInfo).port)
        })
      })
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
