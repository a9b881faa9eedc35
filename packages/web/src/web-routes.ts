/**
 * The page's HTTP routes, to mount on any node:http server (the agent's status port, or the
 * server of `nara web`): `GET /` the page, `/app.js` and `/app.css` its bundled assets,
 * `/api/snapshot` the whole view as JSON, `/api/nara?name=` one nara's page, `/api/events` live
 * updates as Server-Sent Events (the snapshot first, so a reconnecting page is complete at once).
 *
 * Every response forbids inline scripts and any other origin (Content-Security-Policy), so even
 * a rendering bug could not run a string from the plaza. Nothing here reads a soul or a password.
 */
import type { IncomingMessage, ServerResponse } from 'node:http'
import { loadPageAssets, type PageAsset } from './page-assets.js'
import type { PlazaView } from './plaza-view.js'
import { createSseHub, type SseHubOptions } from './sse-hub.js'

export interface WebRoutesOptions {
  view: PlazaView
  /** The page's files (default: the bundled ones). */
  assets?: Map<string, PageAsset>
  sse?: SseHubOptions
}

export interface WebRoutes {
  /** Answers the request and returns true when the path is one of the page's; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean
  /** Ends every open event stream. */
  close(): void
}

/** Headers on every answer of the page's routes. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  'content-security-policy':
    "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
})

export function createWebRoutes(options: WebRoutesOptions): WebRoutes {
  const { view } = options
  const assets = options.assets ?? loadPageAssets()
  const hub = createSseHub(options.sse)
  const unsubscribe = view.subscribe((u) => hub.broadcast(u))

  const json = (res: ServerResponse, status: number, value: unknown) => {
    res.writeHead(status, { ...SECURITY_HEADERS, 'content-type': 'application/json' })
    res.end(JSON.stringify(value))
  }

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://localhost')
      const asset = assets.get(url.pathname)
      const isApi = url.pathname.startsWith('/api/')
      if (!asset && !isApi) return false
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.writeHead(405, { ...SECURITY_HEADERS, allow: 'GET' }).end()
        return true
      }
      if (asset) {
        res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': asset.contentType })
        res.end(req.method === 'HEAD' ? undefined : asset.body)
        return true
      }
      switch (url.pathname) {
        case '/api/snapshot':
          json(res, 200, view.snapshot())
          return true
        case '/api/nara': {
          const page = view.nara(url.searchParams.get('name') ?? '')
          if (page) json(res, 200, page)
          else json(res, 404, { error: 'no such nara' })
          return true
        }
        case '/api/events':
          for (const [k, v] of Object.entries(SECURITY_HEADERS)) res.setHeader(k, v)
          hub.add(req, res, { type: 'snapshot', data: view.snapshot() })
          return true
        default:
          json(res, 404, { error: 'unknown api path' })
          return true
      }
    },
    close() {
      unsubscribe()
      hub.close()
    },
  }
}
