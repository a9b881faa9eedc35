/**
 * A standalone server for the page (what `nara web` runs): the page's routes and nothing else,
 * on localhost unless told otherwise.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import type { WebRoutes } from './web-routes.js'

export interface WebServerOptions {
  routes: WebRoutes
  /** Default 127.0.0.1: exposing the page elsewhere is a choice (see the README). */
  host?: string
  /** 0 picks a free port. */
  port: number
}

export interface WebServer {
  /** Starts listening; resolves with the page's URL. */
  start(): Promise<string>
  stop(): Promise<void>
}

export function createWebServer(options: WebServerOptions): WebServer {
  const host = options.host ?? '127.0.0.1'
  let server: Server | undefined
  return {
    start() {
      const s = createServer((req, res) => {
        if (!options.routes.handle(req, res)) {
          res.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n')
        }
      })
      server = s
      return new Promise((resolve, reject) => {
        s.once('error', reject)
        s.listen(options.port, host, () => {
          s.off('error', reject)
          resolve(pageUrl(host, (s.address() as AddressInfo).port))
        })
      })
    },
    stop() {
      const s = server
      server = undefined
      options.routes.close()
      if (!s) return Promise.resolve()
      return new Promise((resolve) => {
        s.close(() => resolve())
        s.closeAllConnections()
      })
    },
  }
}

/** The URL a person opens (IPv6 hosts in brackets). */
export function pageUrl(host: string, port: number): string {
  return `http://${host.includes(':') ? `[${host}]` : host}:${port}/`
}
