/**
 * @packageDocumentation
 *
 * `@nara/web` is the live web view of the plaza: a model fed by a plaza's verified events, drops
 * and key conflicts ({@link createPlazaView}, {@link attachPlaza}), the HTTP routes that serve
 * it as a page with a JSON snapshot and Server-Sent Events ({@link createWebRoutes}), and the
 * page itself, built with Preact and bundled by esbuild into `dist/page/` at build time (no CDN,
 * no internet at run time). The agent mounts the routes on its status port; `nara web` runs them
 * in {@link createWebServer} next to a watcher plaza with no identity of its own.
 *
 * @example
 * ```ts
 * import { createPlaza } from '@nara/plaza'
 * import { attachPlaza, createPlazaView, createWebRoutes, createWebServer } from '@nara/web'
 *
 * const plaza = createPlaza({ brokerUrl: 'mqtt://127.0.0.1:1883', identity, heyThereOnConnect: false })
 * const view = createPlazaView({ mode: 'watcher', broker: plaza.brokerUrl })
 * attachPlaza(view, plaza)
 * view.start()
 * const server = createWebServer({ routes: createWebRoutes({ view }), port: 0 })
 * const url = await server.start() // http://127.0.0.1:PORT/
 * await plaza.start()
 * ```
 */
export { attachPlaza, type PlazaSource } from './attach-plaza.js'
export { PageNotBuiltError } from './errors.js'
export { summarize } from './event-summary.js'
export { keyFingerprint } from './key-fingerprint.js'
export { loadPageAssets, type PageAsset, pageDir } from './page-assets.js'
export {
  createPlazaView,
  EVIDENCE_KINDS,
  type PlazaView,
  type PlazaViewOptions,
} from './plaza-view.js'
export { createSseHub, type SseHub, type SseHubOptions } from './sse-hub.js'
export type * from './view-types.js'
export {
  createWebRoutes,
  SECURITY_HEADERS,
  type WebRoutes,
  type WebRoutesOptions,
} from './web-routes.js'
export { createWebServer, pageUrl, type WebServer, type WebServerOptions } from './web-server.js'
